using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AzBatchOutput.Conventions;
using Xunit;
using static AzBatchOutput.Engine.Tests.Conventions.ConventionsAssert;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    public class ContainerNamingTests
    {
        // The table in conventions.md section 1, copied literally: these come from the reference library's and
        // Batch Explorer's own tests, so they pin byte-for-byte compatibility independently of any helper here.
        [Theory]
        [InlineData("MyTerrificJob", "job-myterrificjob")]
        [InlineData("job-15", "job-job-15")]
        [InlineData("J", "job-j")]
        [InlineData("j", "job-j")]
        [InlineData("my_job-bob", "job-my-job-bob-e04620bc2add214df74e158ba60d24273a0e0927")]
        [InlineData("-my_job-sam--", "job-my-job-sam-47f54d840815af2592a12213db05f8a8277a098d")]
        [InlineData("my-_EVEN_MORE_-terrific-job", "job-my-even-more-te-68b05a7d8aa6aa65b9a6892c667a6c406a16ad65")]
        [InlineData("---", "job-job-58b63e273b964039d6ef432a415df3f177c818e5")]
        [InlineData("-_-", "job-job-6fe16b401f95cfcf3aba78023b0a14ef782813e1")]
        [InlineData("-", "job-job-3bc15c8aae3e4124dd409035f32ea2fd6835efc9")]
        [InlineData("_", "job-job-53a0acfad59379b3e050338bf9f23cfc172ee787")]
        [InlineData(":", "job-job-05a79f06cf3f67f726dae68d18a2290f6c9a50c9")]
        [InlineData("job:my-job-1", "job-job-my-job-1-fdddfdd04eab0771edb90374860d2736481d162d")]
        [InlineData("myverylongjobnameallinonewordreallystartingtogetreallysillynow", "job-myverylongjobna-a8700e4947d0c8c621e53b24246aa0349d830e41")]
        public void Reference_vectors(string jobId, string expected)
        {
            Assert.Equal(expected, ContainerNaming.GetContainerName(jobId));
        }

        [Theory]
        [InlineData("my_job-bob")]
        [InlineData("-my_job-sam--")]
        [InlineData("my-_EVEN_MORE_-terrific-job")]
        [InlineData("---")]
        [InlineData(":")]
        [InlineData("job:my-job-1")]
        public void Reference_vector_hashes_are_sha1_of_the_lower_cased_id(string jobId)
        {
            // Guards the test helper itself: it must agree with the literal table before it is trusted below.
            var container = ContainerNaming.GetContainerName(jobId);
            Assert.EndsWith("-" + Sha1Hex(jobId.ToLowerInvariant()), container, StringComparison.Ordinal);
        }

        private const string Alnum60 = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwx";

        [Fact]
        public void Simple_id_of_59_characters_is_used_verbatim()
        {
            var id = Alnum60.Substring(0, 59);
            Assert.Equal("job-" + id, ContainerNaming.GetContainerName(id));
            Assert.Equal(63, ContainerNaming.GetContainerName(id).Length);
        }

        [Fact]
        public void Simple_id_of_60_characters_is_hashed()
        {
            Assert.Equal(60, Alnum60.Length);
            Assert.Equal("job-abcdefghijklmno-" + Sha1Hex(Alnum60), ContainerNaming.GetContainerName(Alnum60));
        }

        [Fact]
        public void Simple_id_of_59_characters_in_upper_case_is_lower_cased_verbatim()
        {
            var id = Alnum60.Substring(0, 59).ToUpperInvariant();
            Assert.Equal("job-" + Alnum60.Substring(0, 59), ContainerNaming.GetContainerName(id));
        }

        [Fact]
        public void Id_of_59_characters_with_single_inner_dashes_is_used_verbatim()
        {
            var id = string.Join("-", Enumerable.Repeat("abcd", 12)); // 12*4 + 11 = 59
            Assert.Equal(59, id.Length);
            Assert.Equal("job-" + id, ContainerNaming.GetContainerName(id));
        }

        [Theory]
        [InlineData("job-1-", "job-job-1-")]        // trailing '-' is not a valid container end
        [InlineData("a--b", "job-a-b-")]            // '--' is not allowed in a container name
        [InlineData("-abc", "job-abc-")]            // a container name cannot start with '-'
        [InlineData("a:_-b", "job-a-b-")]           // a mixed run becomes one '-'
        [InlineData("a_b", "job-a-b-")]
        [InlineData("__", "job-job-")]              // nothing readable left: "job" fallback
        [InlineData("_-:-_", "job-job-")]
        [InlineData("x_", "job-x-")]
        [InlineData("abcdefghijklm_o", "job-abcdefghijklm-o-")]    // readable part exactly 15: kept whole
        [InlineData("abcdefghijklmn_o", "job-abcdefghijklmn-")]    // 16: cut to 15 exposes a '-', re-trimmed
        [InlineData("abcdefghijklmn_opq", "job-abcdefghijklmn-")]
        [InlineData("abcdefghijklmnop_q", "job-abcdefghijklmno-")] // cut lands before the '-'
        [InlineData("Big_Job", "job-big-job-")]                   // lower-cased before everything
        public void Hashed_names_follow_the_rules(string jobId, string expectedReadablePrefix)
        {
            var expected = expectedReadablePrefix + Sha1Hex(jobId.ToLowerInvariant());
            Assert.Equal(expected, ContainerNaming.GetContainerName(jobId));
        }

        [Theory]
        [InlineData("MyJob", "job-myjob")]
        [InlineData("MY-JOB-2", "job-my-job-2")]
        [InlineData("1234", "job-1234")]
        [InlineData("0-a", "job-0-a")]
        public void Upper_case_simple_ids_are_lower_cased(string jobId, string expected)
        {
            Assert.Equal(expected, ContainerNaming.GetContainerName(jobId));
        }

        [Fact]
        public void Hash_is_over_the_lower_cased_id_so_case_variants_share_a_container()
        {
            var upper = ContainerNaming.GetContainerName("Big_Job");
            Assert.Equal(upper, ContainerNaming.GetContainerName("big_job"));
            Assert.Equal(upper, ContainerNaming.GetContainerName("BIG_JOB"));
            Assert.NotEqual("job-big-job-" + Sha1Hex("Big_Job"), upper);
        }

        [Fact]
        public void Job_made_by_a_schedule()
        {
            // "myschedule-job-1" is 16 characters: the cut to 15 leaves "myschedule-job-" whose '-' is trimmed.
            Assert.Equal("job-myschedule-job-" + Sha1Hex("myschedule:job-1"), ContainerNaming.GetContainerName("MySchedule:job-1"));
        }

        [Fact]
        public void Short_schedule_job()
        {
            Assert.Equal("job-nightly-job-7-" + Sha1Hex("nightly:job-7"), ContainerNaming.GetContainerName("Nightly:job-7"));
        }

        [Fact]
        public void Id_of_64_characters_with_capitals_and_underscores()
        {
            const string id = "Nightly_Render_Job_For_Project_Alpha_With_A_Long_Name_0000000001";
            Assert.Equal(64, id.Length);
            Assert.Equal("job-nightly-render-" + Sha1Hex(id.ToLowerInvariant()), ContainerNaming.GetContainerName(id));
        }

        [Fact]
        public void Long_schedule_job_id_beyond_64_characters()
        {
            var schedule = "Weekly_Report_Schedule_" + new string('X', 41); // 64 characters, the most a schedule ID can have
            var id = schedule + ":job-123456";
            Assert.True(id.Length > 64);
            Assert.Equal("job-weekly-report-s-" + Sha1Hex(id.ToLowerInvariant()), ContainerNaming.GetContainerName(id));
        }

        [Theory]
        [InlineData("my job")]
        [InlineData("job.1")]
        [InlineData("jöb")]
        [InlineData("job/1")]
        [InlineData("")]
        [InlineData(null)]
        public void Invalid_job_ids_are_refused_before_naming(string jobId)
        {
            var ex = Throws("InvalidJobId", () => ContainerNaming.GetContainerName(jobId));
            Assert.Equal(jobId, ex.Target);
        }

        [Fact]
        public void Id_of_65_characters_without_colon_is_refused()
        {
            Throws("InvalidJobId", () => ContainerNaming.GetContainerName(new string('a', 65)));
        }

        /// <summary>An oracle written with regular expressions, straight from the wording of conventions.md section 1.</summary>
        private static string Oracle(string jobId)
        {
            var s = jobId.ToLowerInvariant();
            if (s.Length <= 59 && Regex.IsMatch(s, "^[a-z0-9][a-z0-9-]*$") && !s.EndsWith("-") && !s.Contains("--"))
            {
                return "job-" + s;
            }

            var r = Regex.Replace(s, "[:_-]+", "-").Trim('-');
            if (r.Length > 15)
            {
                r = r.Substring(0, 15).Trim('-');
            }
            else if (r.Length == 0)
            {
                r = "job";
            }

            return "job-" + r + "-" + Sha1Hex(s);
        }

        public static IEnumerable<object[]> RandomJobIds()
        {
            var random = new Random(20240917);
            const string plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            const string separators = "-_:";
            for (var n = 0; n < 400; n++)
            {
                var length = random.Next(1, n % 4 == 0 ? 120 : 64);
                var builder = new StringBuilder();
                for (var i = 0; i < length; i++)
                {
                    // Separators often enough to make runs, at the ends and in the middle.
                    builder.Append(random.Next(4) == 0 ? separators[random.Next(separators.Length)] : plain[random.Next(plain.Length)]);
                }

                var id = builder.ToString();
                if (id.Length > 64 && id.IndexOf(':') < 0)
                {
                    id = id.Substring(0, 30) + ":" + id.Substring(31);
                }

                yield return new object[] { id };
            }
        }

        [Theory]
        [MemberData(nameof(RandomJobIds))]
        public void Random_ids_match_the_rules_and_give_valid_container_names(string jobId)
        {
            var container = ContainerNaming.GetContainerName(jobId);
            Assert.Equal(Oracle(jobId), container);

            // Azure container names: 3-63 characters, lower-case letters, digits and single inner dashes.
            Assert.InRange(container.Length, 3, 63);
            Assert.Matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", container);
            Assert.DoesNotContain("--", container);
            if (container != "job-" + jobId.ToLowerInvariant())
            {
                Assert.InRange(container.Length, 46, 60);
            }
        }

        [Fact]
        public void Random_ids_cover_both_branches()
        {
            var ids = RandomJobIds().Select(row => (string)row[0]).ToList();
            Assert.Contains(ids, id => ContainerNaming.GetContainerName(id) == "job-" + id.ToLowerInvariant());
            Assert.Contains(ids, id => ContainerNaming.GetContainerName(id) != "job-" + id.ToLowerInvariant());
            Assert.Contains(ids, id => id.Length > 64);
        }

        [Fact]
        public void Same_id_gives_same_name()
        {
            Assert.Equal(ContainerNaming.GetContainerName("my_job-bob"), ContainerNaming.GetContainerName("my_job-bob"));
        }
    }
}

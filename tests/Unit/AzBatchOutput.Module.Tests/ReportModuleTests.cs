using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Export-BatchJobOutputReport end to end: the real cmdlet in a real PowerShell session against Azurite, and the
    /// page it writes opened in headless Chromium, as a user would open it.
    /// </summary>
    public class ReportModuleTests
    {
        private static readonly (byte, byte, byte)[][] Palettes =
        {
            new[] { ((byte)32, (byte)76, (byte)160), ((byte)94, (byte)200, (byte)220) },
            new[] { ((byte)120, (byte)40, (byte)150), ((byte)250, (byte)150, (byte)90) },
            new[] { ((byte)20, (byte)110, (byte)70), ((byte)220, (byte)230, (byte)120) },
        };

        private readonly ITestOutputHelper _output;

        public ReportModuleTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void ReportOfThreeTasksRendersInChromium()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Report");
            session.InitializeJob(jobId);
            SaveThreeTasks(session, jobId);

            var reportPath = session.Folder.Combine("report.html");
            var result = session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -IncludePreviews -PassThru",
                ("JobId", jobId), ("ReportPath", reportPath)).ThrowIfFailed();
            var file = Assert.IsType<FileInfo>(result.Output.Single().BaseObject);
            Assert.Equal(reportPath, file.FullName);
            var html = File.ReadAllText(reportPath);
            // Self-contained: nothing is fetched, and without -IncludeDownloadLinks nothing is linked.
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain(" src=\"http", html);
            Assert.DoesNotContain(" href=", html);
            Assert.DoesNotContain("sig=", html);

            // The logs are read by their end only: the progress totals stay far below the 5 MB log of task-3.
            var reading = result.Progress.Where(p => p.Activity == "Reading log tails and previews").ToList();
            Assert.NotEmpty(reading);
            var total = Regex.Match(reading.Last().StatusDescription, @"files, [\d.]+ [KMGT]?B of (?<n>[\d.]+) (?<u>[KMGT]?B)");
            Assert.True(total.Success, reading.Last().StatusDescription);
            Assert.Contains(total.Groups["u"].Value, new[] { "B", "KB" });

            var dom = ReportBrowser.DumpDom(reportPath);
            Assert.Equal(3, ReportBrowser.Count(dom, "<details class=\"task\""));
            foreach (var task in new[] { "task-1", "task-2", "task-3" })
            {
                Assert.Contains($"id=\"task-{task}\"", dom);
            }

            Assert.Matches("<img src=\"data:image/png;base64,[A-Za-z0-9+/=]{100,}\"", dom);
            Assert.Contains("task-1 finished: 1200 frames, exit code 0", dom);
            Assert.Contains("task-3 line 99999 of 99999", dom);
            Assert.DoesNotContain("task-3 line 99979 of 99999", dom); // only the last 20 lines
            Assert.DoesNotContain("task-1 step 01 ", dom);
            Assert.Contains("class=\"js\"", dom); // the page's own script ran under its CSP
            Assert.Contains(">3 tasks<", dom);
            Assert.Contains("merged.csv", dom);
            Assert.Contains("TaskOutput", dom);

            var page = ReportArtifacts.PathOf("report.html");
            File.Copy(reportPath, page, overwrite: true);
            var desktop = ReportArtifacts.PathOf("report.png");
            var mobile = ReportArtifacts.PathOf("report-mobile.png");
            ReportBrowser.Screenshot(page, desktop, 1280, 1600);
            ReportBrowser.Screenshot(page, mobile, 390, 844);

            // As after a click on task-1 (a #task- link would scroll, which headless screenshots draw badly): a copy with it open.
            var opened = ReportArtifacts.PathOf("report-task.html");
            File.WriteAllText(opened, html.Replace("<details class=\"task\" id=\"task-task-1\">", "<details class=\"task\" id=\"task-task-1\" open>"));
            var openedDesktop = ReportArtifacts.PathOf("report-task.png");
            var openedMobile = ReportArtifacts.PathOf("report-task-mobile.png");
            ReportBrowser.Screenshot(opened, openedDesktop, 1280, 2300);
            ReportBrowser.Screenshot(opened, openedMobile, 390, 3000);
            Report($"Report page: {page} ({new FileInfo(page).Length:N0} bytes)");
            Report($"Screenshot (1280x1600): {desktop}");
            Report($"Screenshot (390x844): {mobile}");
            Report($"Screenshots with task-1 open (1280x2300, 390x3000): {openedDesktop}, {openedMobile}");
        }

        [Fact]
        public void BlobNamesAndLogLinesCannotInjectMarkup()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ReportXss");
            var containerName = session.InitializeJob(jobId);
            var container = TestStorage.Sdk.GetBlobContainerClient(containerName);
            const string scriptName = "<script>document.documentElement.setAttribute('data-pwned','name')</script>.txt";
            const string imgName = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">.txt";
            const string logLine = "<script>document.documentElement.setAttribute('data-pwned','log')</script>";
            Upload(container, "task-1/$TaskOutput/" + scriptName, "result");
            Upload(container, "task-1/$TaskOutput/" + imgName, "result");
            Upload(container, "task-1/$<b onmouseover=alert(1)>Custom/x.txt", "custom kind");
            Upload(container, "task-1/$TaskLog/stdout.txt", "starting\n" + logLine + "\n\"quoted\" & 'single' </pre><h1>not a heading</h1>\ndone\n");
            Upload(container, "t<x>\"'&/$TaskOutput/a.txt", "odd task id from another tool");

            var reportPath = session.Folder.Combine("report.html");
            session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath", ("JobId", jobId), ("ReportPath", reportPath)).ThrowIfFailed();
            var html = File.ReadAllText(reportPath);

            // The page as written: the names and the log line appear only escaped.
            Assert.Equal(1, ReportBrowser.Count(html, "<script"));
            Assert.DoesNotContain("<script>document", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("<b onmouseover", html);
            Assert.DoesNotContain("<h1>not a heading", html);
            Assert.Contains("&lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;,&#39;log&#39;)&lt;/script&gt;", html);
            Assert.Contains("&lt;img src=x onerror=&quot;", html);
            Assert.Contains("t&lt;x&gt;&quot;&#39;&amp;", html);

            // The page as a browser runs it: nothing executed, and the text is there to read.
            var dom = ReportBrowser.DumpDom(reportPath);
            Assert.DoesNotContain("data-pwned=", dom);
            Assert.Equal(1, ReportBrowser.Count(dom, "<script"));
            Assert.Contains("&lt;script&gt;document.documentElement", dom);
            Assert.Contains("&lt;/pre&gt;&lt;h1&gt;not a heading&lt;/h1&gt;", dom);
            Assert.Equal(2, ReportBrowser.Count(dom, "<details class=\"task\""));
            Assert.Contains("class=\"js\"", dom);
        }

        [Fact]
        public void PipedAzBatchTaskGivesTheJobFromItsUrlAndAFolderPathNamesTheFile()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ReportPipe");
            session.InitializeJob(jobId);
            var log = session.Folder.WriteFile("stdout.txt", Encoding.UTF8.GetBytes("one\ntwo\n"));
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId 'frame-7' -Kind TaskLog -Path $File | Out-Null", ("JobId", jobId), ("File", log)).ThrowIfFailed();
            var folder = session.Folder.Combine("reports");
            Directory.CreateDirectory(folder);

            // An Az.Batch PSCloudTask has Id = the task's ID and a Url that names the job; a PSCloudJob has Id = the job's ID.
            var result = session.Run(
                "[pscustomobject]@{ Id = 'frame-7'; Url = \"https://mybatch.westeurope.batch.azure.com/jobs/$JobId/tasks/frame-7\" } | " +
                "Export-BatchJobOutputReport -Path $Folder -LogTailLines 1 -PassThru",
                ("Folder", folder)).ThrowIfFailed();
            var file = Assert.IsType<FileInfo>(result.Output.Single().BaseObject);
            Assert.Equal(Path.Combine(folder, jobId + ".html"), file.FullName);
            var html = File.ReadAllText(file.FullName);
            Assert.Contains("id=\"task-frame-7\"", html);
            Assert.Contains("<pre>two\n</pre>", html);
            Assert.DoesNotContain("<pre>one", html);

            result = session.Run("[pscustomobject]@{ Id = $JobId; Url = \"https://mybatch.westeurope.batch.azure.com/jobs/$JobId\" } | Export-BatchJobOutputReport -Path $Folder -PassThru")
                .ThrowIfFailed();
            Assert.Equal(file.FullName, ((FileInfo)result.Output.Single().BaseObject).FullName);
        }

        /// <summary>A folder that does not exist yet, named without an extension or with a trailing '/', gets one report per piped job.</summary>
        [Theory]
        [InlineData("new-reports")]
        [InlineData("new-reports/")]
        public void AMissingFolderGetsOneReportPerJob(string path)
        {
            using var session = ModuleSession.Start();
            var jobs = new[] { TestStorage.NewJobId("ReportA"), TestStorage.NewJobId("ReportB") };
            foreach (var job in jobs)
            {
                session.InitializeJob(job);
            }

            var result = session.Run("$Jobs | ForEach-Object { [pscustomobject]@{ Id = $_ } } | Export-BatchJobOutputReport -Path $ReportPath -PassThru",
                ("Jobs", jobs), ("ReportPath", path)).ThrowIfFailed();
            var written = result.Output.Select(o => ((FileInfo)o.BaseObject).FullName).ToArray();
            Assert.Equal(jobs.Select(j => Path.Combine(session.Folder.Path, "new-reports", j + ".html")), written);
            Assert.All(written, f => Assert.True(File.Exists(f), f));
        }

        [Fact]
        public void AReportPathOnAnotherDriveIsRefused()
        {
            using var session = ModuleSession.Start(connect: false);
            var error = session.Run("Export-BatchJobOutputReport -JobId j1 -Path Env:/REPORT").SingleError();
            Assert.StartsWith("PathNotFileSystem,", error.FullyQualifiedErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(session.Folder.Path));
        }

        [Fact]
        public void WhatIfWritesNothingAndAMissingContainerIsAnError()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ReportNone");
            var reportPath = session.Folder.Combine("none.html");

            session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -WhatIf", ("JobId", jobId), ("ReportPath", reportPath)).ThrowIfFailed();
            Assert.False(File.Exists(reportPath));

            var error = session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath").SingleError();
            Assert.StartsWith("JobContainerNotFound", error.FullyQualifiedErrorId);
            Assert.False(File.Exists(reportPath));
            Assert.Empty(Directory.GetFiles(session.Folder.Path, "*.azbo-partial"));
        }

        [Fact]
        public async Task DownloadLinksAreShortLivedReadSasUrlsThatWork()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ReportLinks");
            session.InitializeJob(jobId);
            var data = session.Folder.WriteFile("result.txt", Encoding.UTF8.GetBytes("the result"));
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Path $File | Out-Null", ("JobId", jobId), ("File", data)).ThrowIfFailed();

            var reportPath = session.Folder.Combine("links.html");
            var before = DateTimeOffset.UtcNow;
            session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -IncludeDownloadLinks -LinkExpiry ([TimeSpan]::FromMinutes(30))",
                ("JobId", jobId), ("ReportPath", reportPath)).ThrowIfFailed();
            var html = File.ReadAllText(reportPath);
            var link = Regex.Match(html, "<a class=\"p\" rel=\"noreferrer\" href=\"(?<href>[^\"]+)\">result.txt</a>");
            Assert.True(link.Success, "no download link for result.txt");
            var href = System.Net.WebUtility.HtmlDecode(link.Groups["href"].Value);
            Assert.Contains("sig=", href);
            Assert.Contains("sp=r&", href);
            var expiry = DateTimeOffset.Parse(Uri.UnescapeDataString(Regex.Match(href, "se=(?<se>[^&]+)").Groups["se"].Value), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(expiry, before.AddMinutes(29), before.AddMinutes(31));
            Assert.Contains("Download links expire", html);

            using var http = new HttpClient();
            Assert.Equal("the result", await http.GetStringAsync(href));

            // A number is seconds, as for the tracking cmdlets' intervals: 5400 is an hour and a half, not 5,400 ticks.
            session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -IncludeDownloadLinks -LinkExpiry 5400",
                ("JobId", jobId), ("ReportPath", reportPath)).ThrowIfFailed();
            var inSeconds = Regex.Match(File.ReadAllText(reportPath), "se=(?<se>[^&\"]+)").Groups["se"].Value;
            Assert.InRange(DateTimeOffset.Parse(Uri.UnescapeDataString(inSeconds), System.Globalization.CultureInfo.InvariantCulture), before.AddMinutes(89), DateTimeOffset.UtcNow.AddMinutes(91));

            foreach (var badExpiry in new[] { "([TimeSpan]::FromDays(8))", "30.5e-6", "0" })
            {
                var error = session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -IncludeDownloadLinks -LinkExpiry " + badExpiry,
                    ("JobId", jobId), ("ReportPath", reportPath)).SingleError();
                Assert.StartsWith("InvalidLinkExpiry", error.FullyQualifiedErrorId);
                Assert.Contains("at least a minute", error.ToString());
            }
        }

        [Fact]
        public void AContainerSasReadsTheReportButCannotSignLinks()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ReportSas");
            session.InitializeJob(jobId);
            for (var t = 1; t <= 3; t++)
            {
                var log = session.Folder.WriteFile($"t{t}/stdout.txt", Encoding.UTF8.GetBytes($"task {t} done\n"));
                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId $Task -Kind TaskLog -Path $File | Out-Null", ("JobId", jobId), ("Task", $"t{t}"), ("File", log)).ThrowIfFailed();
            }

            var reportPath = session.Folder.Combine("sas.html");
            session.Run("$ReadOnly = Connect-BatchOutputStorage -ContainerUrl (New-BatchJobOutputSas -JobId $JobId -Permission rl).Url", ("JobId", jobId)).ThrowIfFailed();
            session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -Context $ReadOnly", ("ReportPath", reportPath)).ThrowIfFailed();
            Assert.Contains("<pre>task 3 done\n</pre>", File.ReadAllText(reportPath));
            File.Delete(reportPath);

            var error = session.Run("Export-BatchJobOutputReport -JobId $JobId -Path $ReportPath -Context $ReadOnly -IncludeDownloadLinks").SingleError();
            Assert.StartsWith("CannotIssueSas", error.FullyQualifiedErrorId);
            Assert.False(File.Exists(reportPath));
        }

        /// <summary>Three tasks as a render job saves them, plus job outputs; task-3's log is about 5 MB, of which only the end may be read.</summary>
        private static void SaveThreeTasks(ModuleSession session, string jobId)
        {
            var random = new Random(7);
            for (var t = 1; t <= 3; t++)
            {
                var task = $"task-{t}";
                var csv = new StringBuilder("frame,seconds,samples\n");
                for (var f = 0; f < 400 * t; f++)
                {
                    csv.Append(f).Append(',').Append((1.5 + random.NextDouble()).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)).Append(",4096\n");
                }

                var output = session.Folder.WriteFile($"{task}/out/frames.csv", Encoding.UTF8.GetBytes(csv.ToString()));
                var summary = session.Folder.WriteFile($"{task}/out/summary.json", Encoding.UTF8.GetBytes($"{{\"task\":\"{task}\",\"frames\":{400 * t}}}"));
                var palette = Palettes[t - 1];
                var preview = session.Folder.WriteFile($"{task}/preview.png", TestPng.Thumbnail(240, 150, palette[0], palette[1]));
                var stdout = new StringBuilder();
                if (t == 3)
                {
                    for (var line = 1; line <= 99999; line++)
                    {
                        stdout.Append($"task-3 line {line} of 99999: rendering tile {line % 64} ok\n");
                    }
                }
                else
                {
                    for (var step = 1; step <= 45; step++)
                    {
                        stdout.Append($"{task} step {step:00} rendered frame {step * 26} in {1.2 + step % 5 * 0.1:0.0}s\n");
                    }

                    stdout.Append($"{task} finished: 1200 frames, exit code 0\n");
                }

                var stdoutFile = session.Folder.WriteFile($"{task}/stdout.txt", Encoding.UTF8.GetBytes(stdout.ToString()));
                var stderrFile = session.Folder.WriteFile($"{task}/stderr.txt", Encoding.UTF8.GetBytes(t == 2 ? "warning: texture cache at 91%\n" : string.Empty));
                session.Run(
                    "Save-BatchTaskOutput -JobId $JobId -TaskId $Task -Path $Output, $Summary -DestinationPath out | Out-Null; " +
                    "Save-BatchTaskOutput -JobId $JobId -TaskId $Task -Kind TaskPreview -Path $Preview | Out-Null; " +
                    "Save-BatchTaskOutput -JobId $JobId -TaskId $Task -Kind TaskLog -Path $Stdout, $Stderr | Out-Null",
                    ("JobId", jobId), ("Task", task), ("Output", output), ("Summary", summary), ("Preview", preview), ("Stdout", stdoutFile), ("Stderr", stderrFile))
                    .ThrowIfFailed();
            }

            var merged = session.Folder.WriteFile("job/merged.csv", Encoding.UTF8.GetBytes("task,frames\ntask-1,400\ntask-2,800\ntask-3,1200\n"));
            var overview = session.Folder.WriteFile("job/overview.png", TestPng.Thumbnail(320, 180, (10, 30, 70), (230, 120, 60)));
            session.Run("Save-BatchJobOutput -JobId $JobId -Path $Merged | Out-Null; Save-BatchJobOutput -JobId $JobId -Kind JobPreview -Path $Overview | Out-Null",
                ("JobId", jobId), ("Merged", merged), ("Overview", overview)).ThrowIfFailed();
        }

        private static void Upload(Azure.Storage.Blobs.BlobContainerClient container, string blobName, string text) =>
            container.GetBlobClient(blobName).Upload(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true);

        private void Report(string line)
        {
            _output.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}

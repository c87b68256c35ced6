using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// The report page as a pure function of its model: built in memory (no storage), then checked as text and, where
    /// it matters, as Chromium renders it.
    /// </summary>
    public class ReportHtmlTests
    {
        private readonly ITestOutputHelper _output;

        public ReportHtmlTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void TwoThousandTasksGiveAPageProportionalInSizeThatChromiumOpens()
        {
            var small = ReportEngine.Render(Synthetic(200));
            var model = Synthetic(2000);
            var clock = Stopwatch.StartNew();
            var html = ReportEngine.Render(model);
            var buildTime = clock.Elapsed;

            var page = ReportArtifacts.PathOf("report-2000.html");
            File.WriteAllText(page, html, new UTF8Encoding(false));
            var bytes = Encoding.UTF8.GetByteCount(html);
            var ratio = (double)bytes / Encoding.UTF8.GetByteCount(small);
            Assert.InRange(ratio, 9.5, 10.1); // grows with the tasks and nothing else
            Assert.InRange(bytes / 2000, 2500, 4500); // per task: 4 files, 21 log lines (1.6 KB of text), the markup around them
            Assert.Equal(2000, ReportBrowser.Count(html, "<details class=\"task\""));
            Assert.Equal(2000 - 50, ReportBrowser.Count(html, "\" hidden><summary>"));
            Assert.Matches("id=\"task-task-1\"><summary>[\\s\\S]*id=\"task-task-2\"[\\s\\S]*id=\"task-task-10\"", html);

            // Timing needs a script of the test's own, which the page's CSP would (rightly) block: a copy without it.
            var timed = Path.Combine(Path.GetTempPath(), "azbo-report-2000-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".html");
            try
            {
                File.WriteAllText(timed, Regex.Replace(html, "<meta http-equiv=\"Content-Security-Policy\"[^>]*>", string.Empty)
                    .Replace("</body>", TimingScript + "</body>"), new UTF8Encoding(false));
                var dom = ReportBrowser.DumpDom(timed);
                Assert.Equal(2000, ReportBrowser.Count(dom, "<details class=\"task\""));
                Assert.Equal(2000 - 50, ReportBrowser.Count(dom, "hidden=\"\"><summary>"));
                Assert.Contains("1\u201350 of 2,000 tasks", dom);
                var perf = Regex.Match(dom, "data-perf=\"(?<v>[^\"]+)\"");
                Assert.True(perf.Success, "the timing script did not run");
                var figures = perf.Groups["v"].Value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

                var shot = ReportArtifacts.PathOf("report-2000.png");
                var blank = Path.Combine(Path.GetTempPath(), "azbo-blank-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".html");
                File.WriteAllText(blank, "<!DOCTYPE html><title>blank</title><p>blank</p>");
                var blankShot = Path.ChangeExtension(blank, ".png");
                var baseline = ReportBrowser.Screenshot(blank, blankShot, 1280, 1600);
                var withReport = ReportBrowser.Screenshot(page, shot, 1280, 1600);
                File.Delete(blank);
                File.Delete(blankShot);

                Report($"2,000-task report: {bytes:N0} bytes ({bytes / 2000:N0} per task; {ratio:0.00}x the 200-task page), built in {buildTime.TotalMilliseconds:N0} ms: {page}");
                Report($"Chromium {string.Join(", ", new[] { "response end", "DOM interactive", "DOMContentLoaded end", "load start", "layout done" }.Zip(figures, (n, v) => $"{n} {v:N0} ms"))}");
                Report($"Chromium --screenshot wall clock: {withReport.TotalMilliseconds:N0} ms with the report, {baseline.TotalMilliseconds:N0} ms for a blank page: {shot}");
            }
            finally
            {
                File.Delete(timed);
            }
        }

        [Fact]
        public void EveryTextFromStorageIsEscapedAndOnlyTheOwnScriptRuns()
        {
            const string evil = "<script>document.documentElement.setAttribute('data-pwned','1')</script>\"'&";
            var report = ReportEngine.NewReport("job" + evil);
            report.StorageAccountName = "acct" + evil;
            report.ContainerName = "c" + evil;
            report.ContainerUri = null;
            report.Notes.Add("note" + evil);
            report.LinksIncluded = true;
            report.LinksExpireOn = new DateTimeOffset(2026, 5, 4, 10, 30, 0, TimeSpan.Zero);
            ReportEngine.AddFile(report.JobFiles, null, "JobOutput" + evil, "merged" + evil + ".csv", 10);
            var task = ReportEngine.AddTask(report, "task" + evil);
            var log = ReportEngine.AddFile(task.Files, "task" + evil, "TaskLog", "std" + evil + ".txt", 100);
            log.LogTail = ReportEngine.Tail(new[] { "line " + evil, "</pre><img src=x onerror=alert(1)>" }, note: "n" + evil);
            var image = ReportEngine.AddFile(task.Files, "task" + evil, "TaskPreview", "p" + evil + ".png", 100);
            image.Preview = ReportEngine.Preview("image/png\" onload=\"alert(1)", new byte[] { 1, 2, 3 }, "skip" + evil);
            var linked = ReportEngine.AddFile(task.Files, "task" + evil, "TaskOutput", "a" + evil, 5);
            linked.DownloadUri = new Uri("javascript:alert(1)");
            var https = ReportEngine.AddFile(task.Files, "task" + evil, "TaskOutput", "b.txt", 5);
            https.DownloadUri = new Uri("https://acct.blob.core.windows.net/c/b.txt?sv=1&sig=abc\"><script>");

            var html = ReportEngine.Render(report);
            Assert.Equal(1, ReportBrowser.Count(html, "<script"));
            Assert.Equal(1, ReportBrowser.Count(html, "</script>"));
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("javascript:", html);
            Assert.DoesNotContain("onload=\"", html);
            Assert.DoesNotContain("data:image/png\"", html); // an unknown media type is never written into src
            Assert.Contains("&lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;&quot;&#39;&amp;", html);
            Assert.Contains("href=\"https://acct.blob.core.windows.net/c/b.txt?sv=1&amp;sig=abc%22%3E%3Cscript%3E\"", html);
            Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-", html);

            var page = Path.Combine(Path.GetTempPath(), "azbo-report-escape-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".html");
            try
            {
                File.WriteAllText(page, html, new UTF8Encoding(false));
                var dom = ReportBrowser.DumpDom(page);
                Assert.DoesNotContain("data-pwned=", dom);
                Assert.Contains("class=\"js\"", dom); // the page's own script was allowed by its hash
                Assert.Contains("line &lt;script&gt;document.documentElement.setAttribute('data-pwned','1')&lt;/script&gt;\"'&amp;", dom);
            }
            finally
            {
                File.Delete(page);
            }
        }

        [Fact]
        public void FilterPagingAndTaskLinksWorkInChromium()
        {
            var html = ReportEngine.Render(Synthetic(120));
            Assert.Equal(70, ReportBrowser.Count(html, "<noscript><div class=\"body\">")); // past the first page: contents unparsed

            // The test drives the page with a script of its own, which the page's CSP would block: a copy without the CSP.
            var probe = Regex.Replace(html, "<meta http-equiv=\"Content-Security-Policy\"[^>]*>", string.Empty).Replace("</body>", ProbeScript + "</body>");
            var page = Path.Combine(Path.GetTempPath(), "azbo-report-probe-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".html");
            try
            {
                File.WriteAllText(page, probe, new UTF8Encoding(false));
                var dom = ReportBrowser.DumpDomAfterTimers(page);
                // Filtering by a log line finds the one task on page 3, shows it and builds its contents.
                Assert.Contains("data-filtered=\"task-task-117:log|1 of 120 tasks match\"", dom);
                // Clearing the filter and paging on shows tasks 51-100, contents built.
                Assert.Contains("data-paged=\"50:task-task-51:log|51\u2013100 of 120 tasks\"", dom);

                dom = ReportBrowser.DumpDomAfterTimers(page, "task-task-119");
                Assert.Contains("data-linked=\"task-task-119:open:log\"", dom);
            }
            finally
            {
                File.Delete(page);
            }
        }

        [Fact]
        public void RenderIsAPureFunctionOfTheModel()
        {
            var first = ReportEngine.Render(Synthetic(30));
            var second = ReportEngine.Render(Synthetic(30));
            Assert.Equal(first, second);
            Assert.Contains("<time datetime=\"2026-05-04T09:30:00Z\">2026-05-04 09:30 UTC</time>", first);
            Assert.Contains("<title>synthetic-job \u00b7 Batch job output report</title>", first);
            Assert.DoesNotContain(" hidden>", first); // 30 tasks fit on the first page
        }

        [Fact]
        public void SummaryCountsFilesAndBytesByKindAndEmptyJobsSaySo()
        {
            var report = ReportEngine.NewReport("kinds");
            ReportEngine.AddFile(report.JobFiles, null, "JobOutput", "merged.csv", 3 * 1024 * 1024);
            var task = ReportEngine.AddTask(report, "t1");
            ReportEngine.AddFile(task.Files, "t1", "TaskOutput", "a.bin", 1024);
            ReportEngine.AddFile(task.Files, "t1", "TaskOutput", "b.bin", 512);
            ReportEngine.AddFile(task.Files, "t1", "Renders", "c.exr", 1536);
            var html = ReportEngine.Render(report);
            Assert.Contains("<tr class=\"k-jo\"><td><span class=\"k k-jo\">JobOutput</span><span class=\"scope\">job</span></td><td class=\"n\">1</td><td class=\"n\" title=\"3,145,728 bytes\">3.0 MB</td>", html);
            Assert.Contains("<span class=\"k k-to\">TaskOutput</span><span class=\"scope\">task</span></td><td class=\"n\">2</td><td class=\"n\" title=\"1,536 bytes\">1.5 KB</td>", html);
            Assert.Contains("<span class=\"k k-to\">TaskOutput<i>2</i></span>", html);
            Assert.Matches("<span class=\"k k-c[0-3]\">Renders</span><span class=\"scope\">task</span>", html);
            Assert.Contains("<b>3.0 MB</b><span>in total</span>", html);

            var empty = ReportEngine.Render(ReportEngine.NewReport("empty"));
            Assert.Contains("holds no outputs", empty);
            Assert.Contains("No task of this job has saved outputs.", empty);
            Assert.DoesNotContain("id=\"task-list\"", empty);
        }

        [Fact]
        public void LogTailsKeepTheLastWholeLinesAsATerminalShowsThem()
        {
            var text = "partial first line\r\nline 2\r\n\u001b[31mred\u001b[0m line 3\r\nprogress 10%\rprogress 100%\n";
            var bytes = Encoding.UTF8.GetBytes(text);
            var (lines, whole, note) = ReportEngine.ExtractTail(bytes, 1000, 1000 + bytes.Length, 20);
            Assert.Equal(new[] { "line 2", "red line 3", "progress 100%" }, lines);
            Assert.False(whole);
            Assert.Null(note);

            (lines, whole, _) = ReportEngine.ExtractTail(bytes, 0, bytes.Length, 2);
            Assert.Equal(new[] { "red line 3", "progress 100%" }, lines);
            Assert.False(whole);

            (lines, whole, _) = ReportEngine.ExtractTail(Encoding.UTF8.GetBytes("only\n"), 0, 5, 20);
            Assert.Equal(new[] { "only" }, lines);
            Assert.True(whole);

            // A Windows PowerShell log is UTF-16: its tail starts at an odd byte when the range cuts a character.
            var utf16 = Encoding.Unicode.GetBytes("first line\r\nzweite Zeile \u00fc\r\ndritte\r\n");
            var cut = utf16.Skip(5).ToArray();
            (lines, _, _) = ReportEngine.ExtractTail(cut, 5 + 2, 2 + utf16.Length, 20);
            Assert.Equal(new[] { "zweite Zeile \u00fc", "dritte" }, lines);

            var (binaryLines, _, binaryNote) = ReportEngine.ExtractTail(new byte[] { 0x50, 0x4B, 3, 4, 0, 0, 0, 9, 0x41, 0, 0x42 }, 0, 11, 20);
            Assert.Empty(binaryLines);
            Assert.Contains("binary", binaryNote);

            var (longLines, _, _) = ReportEngine.ExtractTail(Encoding.UTF8.GetBytes(new string('x', 5000) + "\n"), 0, 5001, 20);
            Assert.StartsWith(new string('x', 2000) + " \u2026 (line cut at 2,000 characters)", longLines.Single());
        }

        /// <summary>A render job as a big Batch pool leaves it: per task two outputs and two logs, the default 20-line tail.</summary>
        private static dynamic Synthetic(int tasks)
        {
            var report = ReportEngine.NewReport("synthetic-job");
            ReportEngine.AddFile(report.JobFiles, null, "JobOutput", "merged/frames.csv", 48_213_004);
            var random = new Random(tasks);
            var order = Enumerable.Range(1, tasks).OrderBy(_ => random.Next()).ToList();
            var start = new DateTimeOffset(2026, 5, 4, 6, 0, 0, TimeSpan.Zero);
            foreach (var n in order)
            {
                var id = "task-" + n.ToString(CultureInfo.InvariantCulture);
                var task = ReportEngine.AddTask(report, id);
                var done = start.AddSeconds(n * 7);
                ReportEngine.AddFile(task.Files, id, "TaskOutput", "out/frame-" + n.ToString("00000", CultureInfo.InvariantCulture) + ".exr", 2_400_000 + n, done);
                ReportEngine.AddFile(task.Files, id, "TaskOutput", "out/stats.json", 812, done);
                var stdout = ReportEngine.AddFile(task.Files, id, "TaskLog", "stdout.txt", 180_000 + n, done);
                stdout.LogTail = ReportEngine.Tail(Enumerable.Range(1, 20).Select(i =>
                    $"2026-05-04T06:{i:00}:{n % 60:00}Z [render] tile {i:00}/20 of frame {n}: 4096 samples, {1.5 + i * 0.05:0.00}s"));
                var stderr = ReportEngine.AddFile(task.Files, id, "TaskLog", "stderr.txt", 64, done);
                stderr.LogTail = ReportEngine.Tail(new[] { "warning: falling back to CPU denoiser" }, whole: true);
            }

            return report;
        }

        private const string ProbeScript = @"<script>
addEventListener('load', function () {
  var box = document.getElementById('filter');
  function visible() { return Array.prototype.filter.call(document.querySelectorAll('#task-list > details'), function (t) { return !t.hidden; }); }
  function state(t) { return t.id + (t.open ? ':open' : '') + (t.querySelector('pre') && !t.querySelector('noscript') ? ':log' : ':raw'); }
  if (location.hash) {
    setTimeout(function () { document.documentElement.setAttribute('data-linked', visible().filter(function (t) { return t.open; }).map(state).join(' ')); }, 50);
    return;
  }
  box.value = 'of frame 117:';
  box.dispatchEvent(new Event('input'));
  setTimeout(function () {
    document.documentElement.setAttribute('data-filtered', visible().map(state).join(' ') + '|' + document.getElementById('shown').textContent);
    box.value = '';
    box.dispatchEvent(new Event('input'));
    setTimeout(function () {
      document.getElementById('next').click();
      var now = visible();
      document.documentElement.setAttribute('data-paged', now.length + ':' + state(now[0]) + '|' + document.getElementById('shown').textContent);
    }, 300);
  }, 300);
});
</script>";

        private const string TimingScript =
            "<script>addEventListener('load', function () {" +
            " var n = performance.getEntriesByType('navigation')[0]; document.body.offsetHeight;" +
            " document.documentElement.setAttribute('data-perf', [n.responseEnd, n.domInteractive, n.domContentLoadedEventEnd, n.loadEventStart, performance.now()]" +
            ".map(function (v) { return v.toFixed(1); }).join(','));" +
            "});</script>";

        private void Report(string line)
        {
            _output.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}

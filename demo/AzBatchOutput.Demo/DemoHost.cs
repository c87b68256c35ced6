using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Runtime.InteropServices;
using System.Security;

namespace AzBatchOutput.Demo
{
    /// <summary>
    /// A minimal, non-interactive console host: enough for Out-Default to render tables and lists 120 columns
    /// wide, and for Write-Host, warnings, verbose and debug messages and progress to reach the console.
    /// </summary>
    internal sealed class DemoHost : PSHost
    {
        private readonly DemoHostUserInterface ui = new DemoHostUserInterface();

        public override string Name => "AzBatchOutput.Demo";

        public override Version Version { get; } = new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => ui;

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        /// <summary>The code a script passed to <c>exit</c>, if it did.</summary>
        public int? ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public override void EnterNestedPrompt() => throw new NotSupportedException("The demo host has no nested prompt.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("The demo host has no nested prompt.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }
    }

    internal sealed class DemoHostUserInterface : PSHostUserInterface
    {
        private readonly DemoRawUserInterface rawUI = new DemoRawUserInterface();
        private readonly object consoleLock = new object();
        private readonly bool colors = !Console.IsOutputRedirected;
        private int progressLineLength;

        public override PSHostRawUserInterface RawUI => rawUI;

        /// <summary>
        /// Whether tables and lists keep PowerShell's ANSI styling ($PSStyle): only on a Unix terminal without
        /// NO_COLOR. Otherwise every write goes through GetOutputString, which strips it.
        /// </summary>
        public static bool UseAnsi { get; } =
            !Console.IsOutputRedirected &&
            !RuntimeInformation.IsOSPlatform(OSPlatform.Windows) &&
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

        public override bool SupportsVirtualTerminal => UseAnsi;

        public override void Write(string value) => WriteText(value, null, null, newLine: false);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
            WriteText(value, foregroundColor, backgroundColor, newLine: false);

        public override void WriteLine(string value) => WriteText(value, null, null, newLine: true);

        public override void WriteErrorLine(string value) => WriteText(value, ConsoleColor.Red, null, newLine: true, error: true);

        public override void WriteWarningLine(string message) => WriteText("WARNING: " + message, ConsoleColor.Yellow, null, newLine: true);

        public override void WriteVerboseLine(string message) => WriteText("VERBOSE: " + message, ConsoleColor.DarkGray, null, newLine: true);

        public override void WriteDebugLine(string message) => WriteText("DEBUG: " + message, ConsoleColor.DarkGray, null, newLine: true);

        /// <summary>
        /// Progress as one line, redrawn in place and erased when done; nothing when output is redirected
        /// (a log gains nothing from progress bars).
        /// </summary>
        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (record == null || !colors)
            {
                return;
            }

            lock (consoleLock)
            {
                ClearProgressLine();
                if (record.RecordType != ProgressRecordType.Completed)
                {
                    string percent = record.PercentComplete >= 0 ? $" {record.PercentComplete}%" : string.Empty;
                    string line = Truncate($"  [{record.Activity}] {record.StatusDescription}{percent}", rawUI.BufferSize.Width - 1);
                    Console.Out.Write("\r" + line);
                    progressLineLength = line.Length;
                }
            }
        }

        public override string ReadLine() => throw NonInteractive("read a line");

        public override SecureString ReadLineAsSecureString() => throw NonInteractive("read a secure string");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw NonInteractive("prompt: " + message);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw NonInteractive("ask: " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw NonInteractive("ask for a credential");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw NonInteractive("ask for a credential");

        private static HostException NonInteractive(string what) =>
            new HostException($"The demo host is non-interactive and cannot {what}.");

        private void WriteText(string value, ConsoleColor? foreground, ConsoleColor? background, bool newLine, bool error = false)
        {
            lock (consoleLock)
            {
                ClearProgressLine();
                value = GetOutputString(value, SupportsVirtualTerminal);
                var writer = error ? Console.Error : Console.Out;
                bool colored = colors && (foreground.HasValue || background.HasValue);
                if (colored)
                {
                    if (foreground.HasValue)
                    {
                        Console.ForegroundColor = foreground.Value;
                    }

                    if (background.HasValue && background.Value != rawUI.BackgroundColor)
                    {
                        Console.BackgroundColor = background.Value;
                    }
                }

                writer.Write(value);
                if (colored)
                {
                    Console.ResetColor();
                }

                if (newLine)
                {
                    writer.WriteLine();
                }
            }
        }

        private void ClearProgressLine()
        {
            if (progressLineLength > 0)
            {
                Console.Out.Write("\r" + new string(' ', progressLineLength) + "\r");
                progressLineLength = 0;
            }
        }

        private static string Truncate(string text, int width) =>
            text.Length <= width ? text : text.Substring(0, Math.Max(0, width - 3)) + "...";
    }

    internal sealed class DemoRawUserInterface : PSHostRawUserInterface
    {
        private const int Width = 120;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get => new Size(Width, 9999); set { } }

        public override Coordinates CursorPosition { get => new Coordinates(0, 0); set { } }

        public override int CursorSize { get => 25; set { } }

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new Size(Width, 50);

        public override Size MaxWindowSize => new Size(Width, 50);

        public override Coordinates WindowPosition { get => new Coordinates(0, 0); set { } }

        public override Size WindowSize { get => new Size(Width, 50); set { } }

        public override string WindowTitle { get; set; } = "AzBatchOutput demo";

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
            throw new NotSupportedException("The demo host has no screen buffer.");

        public override KeyInfo ReadKey(ReadKeyOptions options) =>
            throw new HostException("The demo host is non-interactive and cannot read a key.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AzBatchOutput.TestHost;

/// <summary>A non-interactive host: writes to the console's stdout and stderr, and records the script's <c>exit N</c>.</summary>
internal sealed class TestPSHost : PSHost
{
    private readonly TestHostUserInterface _ui = new TestHostUserInterface();

    public bool ShouldExit { get; private set; }

    public int ExitCode { get; private set; }

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "AzBatchOutput.TestHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => typeof(Program).Assembly.GetName().Version ?? new Version(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("AzBatchOutput.TestHost has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("AzBatchOutput.TestHost has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
        ShouldExit = true;
        ExitCode = exitCode;
    }
}

internal sealed class TestHostUserInterface : PSHostUserInterface
{
    private readonly TestHostRawUserInterface _raw = new TestHostRawUserInterface();

    public override PSHostRawUserInterface RawUI => _raw;

    public override void Write(string value) => Console.Out.Write(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(value);

    public override void WriteLine(string value) => Console.Out.WriteLine(value);

    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);

    public override void WriteWarningLine(string message) => Console.Out.WriteLine("WARNING: " + message);

    public override void WriteVerboseLine(string message) => Console.Out.WriteLine("VERBOSE: " + message);

    public override void WriteDebugLine(string message) => Console.Out.WriteLine("DEBUG: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        // A log has no use for progress bars.
    }

    public override string ReadLine() => throw NonInteractive();

    public override SecureString ReadLineAsSecureString() => throw NonInteractive();

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NonInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NonInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NonInteractive();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NonInteractive();

    private static PSInvalidOperationException NonInteractive() =>
        new PSInvalidOperationException("AzBatchOutput.TestHost is non-interactive: nothing can be read from the user.");
}

internal sealed class TestHostRawUserInterface : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    // Wide enough that Out-Default's tables are not cut; output goes to files and pipes, not a screen.
    public override Size BufferSize { get; set; } = new Size(160, 9999);

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 25;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new Size(160, 100);

    public override Size MaxWindowSize => new Size(160, 100);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize { get; set; } = new Size(160, 50);

    public override string WindowTitle { get; set; } = "AzBatchOutput.TestHost";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("AzBatchOutput.TestHost is non-interactive.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}

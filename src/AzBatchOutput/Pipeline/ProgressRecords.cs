using System.Management.Automation;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Pipeline
{
    internal static class ProgressRecords
    {
        public static ProgressRecord From(int activityId, TransferProgress progress)
        {
            var status = $"{progress.FilesDone} of {progress.FilesTotal} files, {Sizes.Format(progress.BytesDone)} of {Sizes.Format(progress.BytesTotal)}" +
                         (progress.BytesPerSecond > 0 ? $", {Sizes.Format((long)progress.BytesPerSecond)}/s" : string.Empty);
            return new ProgressRecord(activityId, progress.Activity, status)
            {
                PercentComplete = progress.Completed ? 100 : progress.PercentComplete,
                CurrentOperation = progress.CurrentItem,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
        }
    }
}

namespace AzBatchOutput.Conventions
{
    /// <summary>Whether an output belongs to the whole job or to one task; it decides the blob name's shape.</summary>
    public enum OutputScope
    {
        Job,
        Task,
    }
}

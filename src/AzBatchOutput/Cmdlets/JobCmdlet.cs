using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Resolution;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>A cmdlet about one job's container: -JobId (also a piped job's Id, or a string) or -Job (an Az.Batch job object).</summary>
    public abstract class JobCmdlet : BatchOutputCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "JobId")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        /// <summary>The validated job ID of the current record and its conventions container name.</summary>
        protected (string JobId, string ContainerName) ResolveJob()
        {
            var jobId = Job != null ? BatchObjects.JobIdOf(Job) : JobId;
            return (jobId, ContainerNaming.GetContainerName(jobId));
        }
    }
}

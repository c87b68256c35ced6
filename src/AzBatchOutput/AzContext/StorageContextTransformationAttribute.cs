using System.Management.Automation;

namespace AzBatchOutput.AzContext
{
    /// <summary>Lets -Context take an Az.Storage context as well as this module's own.</summary>
    internal sealed class StorageContextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is BatchOutputStorageContext)
            {
                return value;
            }

            if (AzStorageContextConverter.IsAzureStorageContext(inputData))
            {
                try
                {
                    return AzStorageContextConverter.Convert(inputData);
                }
                catch (BatchOutputException error)
                {
                    throw new ArgumentTransformationMetadataException(error.Message, error);
                }
            }

            if (value is string)
            {
                // PowerShell's own conversion error would quote the string whole: a connection string or SAS URL with its secret.
                throw new ArgumentTransformationMetadataException(
                    "-Context takes a storage context (from Connect-BatchOutputStorage or New-AzStorageContext), not text. To use a " +
                    "connection string or a container SAS URL, pass it to Connect-BatchOutputStorage -ConnectionString or -ContainerUrl.");
            }

            return inputData;
        }
    }
}

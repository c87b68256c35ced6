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

            return inputData;
        }
    }
}

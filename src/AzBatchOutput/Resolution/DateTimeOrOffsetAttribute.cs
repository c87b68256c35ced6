using System;
using System.Management.Automation;

namespace AzBatchOutput.Resolution
{
    /// <summary>
    /// Lets a DateTime parameter take a [DateTimeOffset] (what Az.Storage's -ExpiryTime and many REST answers carry) as the
    /// same instant, in UTC. PowerShell alone has no conversion from one to the other and refuses the argument.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class DateTimeOrOffsetAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is DateTimeOffset offset ? offset.UtcDateTime : inputData;
        }
    }
}

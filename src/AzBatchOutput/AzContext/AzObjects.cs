using System.Management.Automation;

namespace AzBatchOutput.AzContext
{
    /// <summary>Reads Az objects by their public properties, so the module needs no reference to Az.Batch or Az.Storage.</summary>
    internal static class AzObjects
    {
        public static object Property(object target, string name)
        {
            if (target == null)
            {
                return null;
            }

            var value = PSObject.AsPSObject(target).Properties[name]?.Value;
            return value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
        }

        public static string Text(object target, string name) => Property(target, name)?.ToString();

        public static bool Flag(object target, string name) => Property(target, name) is bool value && value;

        public static string Call(object target, string method)
        {
            var info = target == null ? null : PSObject.AsPSObject(target).Methods[method];
            return info?.Invoke()?.ToString();
        }
    }
}

using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace AzBatchOutput.Resolution
{
    /// <summary>
    /// A file object given to -Path (piped from Get-ChildItem, or any object with a FullName) names exactly that file: its
    /// full name is escaped, so '[1]' or '?' in it are not a pattern that would match another file (frame[1].png would
    /// otherwise save frame1.png). Strings pass unchanged and stay patterns.
    /// </summary>
    internal sealed class ExactPathsAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (inputData is IList list && !(inputData is string))
            {
                var paths = new List<object>(list.Count);
                foreach (var item in list)
                {
                    paths.Add(Exact(item));
                }

                return paths.ToArray();
            }

            return Exact(inputData);
        }

        private static object Exact(object item)
        {
            var value = item is PSObject wrapped ? wrapped.BaseObject : item;
            if (value is FileSystemInfo info)
            {
                return WildcardPattern.Escape(info.FullName);
            }

            if (!(value is string) && item != null && PSObject.AsPSObject(item).Properties["FullName"]?.Value is string fullName)
            {
                return WildcardPattern.Escape(fullName);
            }

            return item;
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using AzBatchOutput.Batch;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// Builds Az.Batch's own PSOutputFile (for New-AzBatchTask -OutputFile) by reflection when Az.Batch is loaded;
    /// the module does not reference Az.Batch, so nothing here is required.
    /// </summary>
    internal static class AzBatchOutputFile
    {
        private const string Models = "Microsoft.Azure.Commands.Batch.Models.";

        public static bool TryCreate(OutputFileSpec spec, out object outputFile, out string why)
        {
            outputFile = null;
            why = null;
            var fileType = FindType(Models + "PSOutputFile");
            if (fileType == null)
            {
                return false;
            }

            try
            {
                var container = Construct(FindType(Models + "PSOutputFileBlobContainerDestination"), spec.ContainerUrl, spec.Path);
                SetIfPresent(container, "Path", spec.Path);
                if (spec.IdentityResourceId != null)
                {
                    var identity = Construct(FindType(Models + "PSComputeNodeIdentityReference"));
                    SetIfPresent(identity, "ResourceId", spec.IdentityResourceId);
                    SetIfPresent(container, "IdentityReference", identity);
                }

                var destination = Construct(FindType(Models + "PSOutputFileDestination"), container);
                var options = Construct(FindType(Models + "PSOutputFileUploadOptions"), spec.UploadCondition.ToString());
                outputFile = Construct(fileType, spec.FilePattern, destination, options);
                return true;
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is InvalidOperationException || ex is PSInvalidCastException || ex is ArgumentException)
            {
                why = $"Az.Batch is loaded but its PSOutputFile could not be built ({ex.GetBaseException().Message}); returning a plain object of the same shape.";
                return false;
            }
        }

        private static Type FindType(string fullName) =>
            AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t != null);

        /// <summary>Calls the first public constructor whose arity fits, converting arguments the way PowerShell would.</summary>
        private static object Construct(Type type, params object[] arguments)
        {
            if (type == null)
            {
                throw new InvalidOperationException("an Az.Batch model type is missing");
            }

            foreach (var constructor in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
            {
                var parameters = constructor.GetParameters();
                if (parameters.Length > arguments.Length || parameters.Skip(arguments.Length).Any(p => !p.IsOptional))
                {
                    continue;
                }

                var values = parameters.Select((p, i) => i < arguments.Length ? LanguagePrimitives.ConvertTo(arguments[i], p.ParameterType) : p.DefaultValue).ToArray();
                return constructor.Invoke(values);
            }

            throw new InvalidOperationException($"no constructor of {type.Name} takes {arguments.Length} arguments");
        }

        private static void SetIfPresent(object target, string property, object value)
        {
            var info = target.GetType().GetProperty(property);
            if (info != null && info.CanWrite && info.GetValue(target) == null)
            {
                info.SetValue(target, LanguagePrimitives.ConvertTo(value, info.PropertyType));
            }
        }
    }
}

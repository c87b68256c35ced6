using System;
using System.Globalization;
using System.Management.Automation;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// Lets a TimeSpan parameter take a number of seconds: PowerShell alone would turn <c>-FlushInterval 5</c> into 5 ticks
    /// (half a microsecond). Numbers (and numeric text) are seconds; TimeSpan values and TimeSpan text ('00:00:30') pass.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SecondsOrTimeSpanAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case int _:
                case long _:
                case short _:
                case byte _:
                case sbyte _:
                case ushort _:
                case uint _:
                case ulong _:
                case float _:
                case double _:
                case decimal _:
                    return FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value);
                case string text:
                    if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    {
                        return FromSeconds(seconds, text);
                    }

                    if (TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    throw new ArgumentTransformationMetadataException(
                        $"'{text}' is neither a number of seconds nor a time span such as '00:00:30'.");
                default:
                    return inputData; // PowerShell's own conversion decides (and explains a failure)
            }
        }

        private static TimeSpan FromSeconds(double seconds, object original)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
            {
                throw new ArgumentTransformationMetadataException($"{original} is not a usable number of seconds.");
            }

            return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>Accepts a TimeSpan from <c>minimumSeconds</c> to <c>maximumSeconds</c>, with a message in seconds.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateSecondsRangeAttribute : ValidateArgumentsAttribute
    {
        public ValidateSecondsRangeAttribute(double minimumSeconds, double maximumSeconds)
        {
            MinimumSeconds = minimumSeconds;
            MaximumSeconds = maximumSeconds;
        }

        public double MinimumSeconds { get; }

        public double MaximumSeconds { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (!(value is TimeSpan span))
            {
                throw new ValidationMetadataException($"'{arguments}' is not a time span.");
            }

            if (span.TotalSeconds < MinimumSeconds || span.TotalSeconds > MaximumSeconds)
            {
                throw new ValidationMetadataException(
                    $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds is out of range: give {MinimumSeconds.ToString(CultureInfo.InvariantCulture)} " +
                    $"to {MaximumSeconds.ToString(CultureInfo.InvariantCulture)} seconds (a number of seconds, or a TimeSpan).");
            }
        }
    }
}

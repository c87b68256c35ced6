using System;
using System.Text;
using System.Text.Json;

namespace AzBatchOutput.Credentials
{
    /// <summary>Reads the expiry ('exp') of a JWT access token without validating it: the service does that.</summary>
    public static class JwtExpiry
    {
        public static bool TryRead(string token, out DateTimeOffset expiresOn)
        {
            expiresOn = default;
            var parts = (token ?? string.Empty).Split('.');
            if (parts.Length != 3)
            {
                return false;
            }

            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
                using (var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds))
                    {
                        expiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
                        return true;
                    }
                }
            }
            catch (FormatException)
            {
            }
            catch (JsonException)
            {
            }
            catch (ArgumentOutOfRangeException)
            {
                // An 'exp' beyond year 9999: no usable expiry, as for a token without one.
            }

            return false;
        }
    }
}

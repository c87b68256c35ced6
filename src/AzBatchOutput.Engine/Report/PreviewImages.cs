using System;
using System.IO;
using System.Text;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// Which outputs a report shows as images, and whether their bytes really are that image. Only formats every
    /// browser draws are shown; an SVG is shown as an &lt;img&gt;, where a browser runs none of its scripts.
    /// </summary>
    public static class PreviewImages
    {
        public const string Png = "image/png";
        public const string Jpeg = "image/jpeg";
        public const string Gif = "image/gif";
        public const string Webp = "image/webp";
        public const string Svg = "image/svg+xml";

        /// <summary>True for the kinds whose images the report shows inline.</summary>
        public static bool IsPreviewKind(string kind) => kind == "TaskPreview" || kind == "JobPreview";

        /// <summary>The image type by the blob's content type, else its extension; null when it is no image the report shows.</summary>
        public static string MediaTypeOf(string contentType, string path)
        {
            var fromContentType = Normalize(contentType);
            if (fromContentType != null)
            {
                return fromContentType;
            }

            switch (Path.GetExtension(path ?? string.Empty).ToLowerInvariant())
            {
                case ".png": return Png;
                case ".jpg":
                case ".jpeg":
                case ".jfif": return Jpeg;
                case ".gif": return Gif;
                case ".webp": return Webp;
                case ".svg": return Svg;
                default: return null;
            }
        }

        /// <summary>Whether the first bytes are what <paramref name="mediaType"/> says (a renamed file is not drawn as a broken image).</summary>
        public static bool LooksLike(string mediaType, byte[] bytes)
        {
            if (bytes == null)
            {
                return false;
            }

            switch (mediaType)
            {
                case Png: return StartsWith(bytes, 0, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
                case Jpeg: return StartsWith(bytes, 0, 0xFF, 0xD8, 0xFF);
                case Gif: return StartsWith(bytes, 0, 0x47, 0x49, 0x46, 0x38);
                case Webp: return StartsWith(bytes, 0, 0x52, 0x49, 0x46, 0x46) && StartsWith(bytes, 8, 0x57, 0x45, 0x42, 0x50);
                case Svg:
                    var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
                    return head.IndexOf("<svg", StringComparison.OrdinalIgnoreCase) >= 0;
                default: return false;
            }
        }

        private static string Normalize(string contentType)
        {
            if (string.IsNullOrWhiteSpace(contentType))
            {
                return null;
            }

            var semicolon = contentType.IndexOf(';');
            var type = (semicolon < 0 ? contentType : contentType.Substring(0, semicolon)).Trim().ToLowerInvariant();
            switch (type)
            {
                case Png:
                case Jpeg:
                case Gif:
                case Webp:
                case Svg:
                    return type;
                case "image/jpg":
                case "image/pjpeg":
                    return Jpeg;
                default:
                    return null;
            }
        }

        private static bool StartsWith(byte[] bytes, int at, params byte[] magic)
        {
            if (bytes.Length < at + magic.Length)
            {
                return false;
            }

            for (var i = 0; i < magic.Length; i++)
            {
                if (bytes[at + i] != magic[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;

namespace AzBatchOutput.Storage
{
    /// <summary>Content-Type from a file's extension, so previews and logs open in a browser (netstandard2.0 has no MIME map).</summary>
    public static class ContentTypeMap
    {
        public const string Default = "application/octet-stream";

        private static readonly Dictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".txt"] = "text/plain; charset=utf-8",
            [".log"] = "text/plain; charset=utf-8",
            [".out"] = "text/plain; charset=utf-8",
            [".err"] = "text/plain; charset=utf-8",
            [".md"] = "text/markdown; charset=utf-8",
            [".csv"] = "text/csv; charset=utf-8",
            [".tsv"] = "text/tab-separated-values; charset=utf-8",
            [".json"] = "application/json",
            [".xml"] = "application/xml",
            [".yaml"] = "application/yaml",
            [".yml"] = "application/yaml",
            [".html"] = "text/html; charset=utf-8",
            [".htm"] = "text/html; charset=utf-8",
            [".css"] = "text/css",
            [".js"] = "text/javascript",
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".gif"] = "image/gif",
            [".bmp"] = "image/bmp",
            [".webp"] = "image/webp",
            [".svg"] = "image/svg+xml",
            [".tif"] = "image/tiff",
            [".tiff"] = "image/tiff",
            [".ico"] = "image/x-icon",
            [".exr"] = "image/x-exr",
            [".mp4"] = "video/mp4",
            [".webm"] = "video/webm",
            [".mp3"] = "audio/mpeg",
            [".wav"] = "audio/wav",
            [".pdf"] = "application/pdf",
            [".zip"] = "application/zip",
            [".gz"] = "application/gzip",
            [".tgz"] = "application/gzip",
            [".tar"] = "application/x-tar",
            [".7z"] = "application/x-7z-compressed",
            [".parquet"] = "application/vnd.apache.parquet",
            [".h5"] = "application/x-hdf5",
            [".nc"] = "application/x-netcdf",
        };

        public static string FromPath(string path)
        {
            var extension = Path.GetExtension(path ?? string.Empty);
            return extension.Length > 0 && ByExtension.TryGetValue(extension, out var type) ? type : Default;
        }
    }
}

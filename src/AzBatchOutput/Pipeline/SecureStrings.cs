using System;
using System.Runtime.InteropServices;
using System.Security;

namespace AzBatchOutput.Pipeline
{
    internal static class SecureStrings
    {
        /// <summary>The plain text of a SecureString, for the one call that needs it; the unmanaged copy is zeroed.</summary>
        public static string Unprotect(SecureString secret)
        {
            if (secret == null)
            {
                return null;
            }

            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}

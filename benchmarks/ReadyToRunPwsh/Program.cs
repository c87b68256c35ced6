// pwsh's own entry point: the console host, started exactly as the pwsh executable starts it.
return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);

namespace EdgeStack.Functions.Maintenance;

/// <summary>What events are counted by: the function that sent them, their name and the request path they carry ("" when none).</summary>
internal readonly record struct DailyCountKey(string Function, string Name, string Path);

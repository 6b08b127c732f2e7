namespace EdgeStack.Serve;

/// <summary>The state folder (<c>.edgestack/</c>) holds keys: the folder is the owner's alone (0700), its files too (0600).</summary>
internal static class StateFiles
{
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder as 0700, or narrows an existing one to 0700.</summary>
    public static void CreateFolder(string path)
    {
        Directory.CreateDirectory(path, PrivateFolderMode);
        File.SetUnixFileMode(path, PrivateFolderMode);
    }

    /// <summary>Writes a file readable by its owner only: a new file is created 0600 and renamed over the old one, so no reader ever sees it partly written or wider open.</summary>
    public static void WritePrivate(string path, string text)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

using System.Diagnostics.CodeAnalysis;

namespace EdgeStack.Azure;

/// <summary>The rule for upload ids, which become blob names: nothing that could leave the <c>processed/</c> prefix or hide in a name.</summary>
public static class UploadId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Checks an id: 1–128 characters of <c>A–Z a–z 0–9 . _ -</c>, and not <c>.</c> or <c>..</c>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="problem">What is wrong with it, naming <c>id</c>; null when it is valid.</param>
    /// <returns>True when the id is valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? id, [NotNullWhen(false)] out string? problem)
    {
        if (string.IsNullOrEmpty(id))
        {
            problem = "'id' must be a non-empty string.";
            return false;
        }

        if (id.Length > MaxLength)
        {
            problem = $"'id' is {id.Length} characters long; at most {MaxLength} are allowed.";
            return false;
        }

        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                problem = "'id' contains a control character.";
                return false;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                problem = $"'id' contains '{c}'; only letters, digits, '.', '_' and '-' are allowed, so the id cannot leave its prefix.";
                return false;
            }
        }

        if (id is "." or "..")
        {
            problem = "'id' cannot be '.' or '..'.";
            return false;
        }

        problem = null;
        return true;
    }
}

using EdgeStack.Contracts;

namespace EdgeStack.Azure.Internal;

/// <summary>Checks that a function's name can name its work and poison queues (Azure Storage's queue name rules).</summary>
internal static class FunctionQueueNames
{
    private const int MaxQueueNameLength = 63;

    /// <summary>Says what keeps <paramref name="functionName"/> from naming its queues, naming the setting; null when it can.</summary>
    /// <param name="functionName">The function's name (<c>Function:Name</c>).</param>
    /// <returns>The problem, or null.</returns>
    public static string? Problem(string? functionName)
    {
        if (string.IsNullOrEmpty(functionName))
        {
            return $"{SettingNames.FunctionName} is not set; durable work needs it to name the function's own queues.";
        }

        var poison = StorageNames.PoisonQueueOf(functionName);
        var valid = poison.Length <= MaxQueueNameLength
            && (char.IsAsciiLetterLower(functionName[0]) || char.IsAsciiDigit(functionName[0]))
            && functionName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && !functionName.Contains("--", StringComparison.Ordinal);
        return valid
            ? null
            : $"{SettingNames.FunctionName} '{functionName}' cannot name the queues {StorageNames.WorkQueueOf(functionName)} and {poison}: " +
              $"use lowercase letters, digits and single hyphens, starting with a letter or digit, at most {MaxQueueNameLength - (poison.Length - functionName.Length)} characters.";
    }
}

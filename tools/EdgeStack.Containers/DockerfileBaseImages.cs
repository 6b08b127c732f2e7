using System.Text.RegularExpressions;

namespace EdgeStack.Containers;

/// <summary>
/// The images <c>functions/Dockerfile</c> starts FROM, with the defaults of the build arguments they name resolved
/// (<c>ARG RUNTIME_IMAGE=…</c> then <c>FROM ${RUNTIME_IMAGE} AS final</c>): what a build without <c>--build-arg</c> pulls.
/// </summary>
internal static partial class DockerfileBaseImages
{
    /// <summary>Every stage's base image, in order.</summary>
    /// <param name="dockerfile">The Dockerfile's text.</param>
    /// <exception cref="InvalidOperationException">A FROM names a build argument with no default.</exception>
    public static IReadOnlyList<string> Read(string dockerfile)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        var images = new List<string>();
        foreach (var line in dockerfile.Split('\n'))
        {
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }

            if (string.Equals(words[0], "ARG", StringComparison.OrdinalIgnoreCase) && words[1].IndexOf('=', StringComparison.Ordinal) is > 0 and var at)
            {
                defaults[words[1][..at]] = words[1][(at + 1)..];
            }
            else if (string.Equals(words[0], "FROM", StringComparison.OrdinalIgnoreCase))
            {
                images.Add(Argument().Replace(words[1], m =>
                    defaults.TryGetValue(m.Groups["name"].Value, out var value)
                        ? value
                        : throw new InvalidOperationException($"FROM {words[1]}: the build argument {m.Groups["name"].Value} has no default (ARG {m.Groups["name"].Value}=… before it).")));
            }
        }

        return images;
    }

    /// <summary>The image the final stage starts FROM: the base every function's image is built on.</summary>
    public static string Final(string dockerfile) =>
        Read(dockerfile) is { Count: > 0 } images ? images[^1] : throw new InvalidOperationException("The Dockerfile has no FROM line.");

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Argument();
}

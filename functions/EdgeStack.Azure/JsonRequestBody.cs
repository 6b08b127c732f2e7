using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>A JSON request body read within the function's size limit, or the problem that kept it from being read.</summary>
public sealed class JsonRequestBody : IDisposable
{
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JsonDocument? _document;
    private readonly byte[] _bytes;
    private string? _text;

    private JsonRequestBody(JsonDocument? document, byte[] bytes, IResult? problem)
    {
        _document = document;
        _bytes = bytes;
        Problem = problem;
    }

    /// <summary>Gets the problem to answer with (415, 413 or 400), or null when the body was read.</summary>
    public IResult? Problem { get; }

    /// <summary>Gets the body's root element; valid only when <see cref="Problem"/> is null.</summary>
    public JsonElement Root => _document?.RootElement ?? default;

    /// <summary>Gets the body's bytes, exactly as sent (valid UTF-8): store these rather than <see cref="Text"/>, which doubles them.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Gets the body as text, exactly as sent; decoded on first use.</summary>
    public string Text => _text ??= s_strictUtf8.GetString(_bytes);

    /// <summary>Reads the body: it must be <c>application/json</c>, at most <c>Function:MaxBodyBytes</c>, valid UTF-8 and valid JSON whose strings are all valid Unicode.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body, or its problem.</returns>
    public static async Task<JsonRequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = request.HttpContext.RequestServices.GetRequiredService<IOptions<FunctionOptions>>().Value.MaxBodyBytes;
        if (!request.HasJsonContentType())
        {
            return Failed(FunctionProblems.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > max)
        {
            return TooLarge(request, max);
        }

        byte[] bytes;
        try
        {
            // Sized from Content-Length when it is declared, so a 1 MiB body is not copied through doubling buffers.
            using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, max));
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return TooLarge(request, max);
                }

                buffer.Write(chunk, 0, read);
            }

            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(request, max);
        }

        // Strict: a body that is not UTF-8 is refused, not stored with replacement characters in place of what was sent.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            try
            {
                _ = s_strictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException exception)
            {
                return Failed(FunctionProblems.BadRequest("The body is not valid UTF-8: " + exception.Message));
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException exception)
        {
            return Failed(FunctionProblems.BadRequest("The body is not valid JSON: " + exception.Message));
        }

        string? invalidAt;
        try
        {
            invalidAt = FindInvalidString(bytes, cancellationToken);
        }
        catch
        {
            document.Dispose();
            throw;
        }

        if (invalidAt is not null)
        {
            // An escaped lone surrogate (\ud800) is valid JSON text but no string: reading it later would throw.
            document.Dispose();
            return Failed(FunctionProblems.BadRequest($"The body holds a string that is not valid Unicode (a lone surrogate escape) at {invalidAt}."));
        }

        return new JsonRequestBody(document, bytes, null);
    }

    /// <summary>
    /// Finds the first string or property name that cannot be read as a string, in one forward pass: linear in the
    /// body's size whatever its shape. Only escaped strings can be invalid (the bytes were checked as strict UTF-8),
    /// and a path is built only for the one string found, from the position of each enclosing property name.
    /// </summary>
    /// <returns>The JSON path of the bad string, or null when every string is readable.</returns>
    private static string? FindInvalidString(byte[] json, CancellationToken cancellationToken)
    {
        // One frame per open container: the start of its current property name (objects) or its current index (arrays).
        var frames = new List<(bool IsArray, long Position)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var tokens = 0;
        while (reader.Read())
        {
            if ((++tokens & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    CountArrayItem(frames);
                    frames.Add((reader.TokenType == JsonTokenType.StartArray, -1));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    frames[^1] = (false, reader.TokenStartIndex);
                    if (reader.ValueIsEscaped && !IsReadable(ref reader))
                    {
                        return BuildPath(json, frames, frames.Count - 1) + " (a property name)";
                    }

                    break;
                case JsonTokenType.String:
                    CountArrayItem(frames);
                    if (reader.ValueIsEscaped && !IsReadable(ref reader))
                    {
                        return BuildPath(json, frames, frames.Count);
                    }

                    break;
                default:
                    CountArrayItem(frames);
                    break;
            }
        }

        return null;
    }

    private static void CountArrayItem(List<(bool IsArray, long Position)> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1] = (true, frames[^1].Position + 1);
        }
    }

    private static bool IsReadable(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string BuildPath(byte[] json, List<(bool IsArray, long Position)> frames, int count)
    {
        var path = new StringBuilder("$");
        for (var i = 0; i < count; i++)
        {
            var (isArray, position) = frames[i];
            if (isArray)
            {
                path.Append('[').Append(position.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                path.Append('.').Append(PropertyNameAt(json, position));
            }
        }

        return path.ToString();
    }

    private static string PropertyNameAt(byte[] json, long position)
    {
        // A property name on its own is a JSON string token, and every enclosing name was found readable before the bad
        // string was reached: read it as one.
        var reader = new Utf8JsonReader(json.AsSpan((int)position), isFinalBlock: false, state: default);
        reader.Read();
        return reader.GetString()!;
    }

    /// <inheritdoc />
    public void Dispose() => _document?.Dispose();

    private static JsonRequestBody Failed(IResult problem) => new(null, [], problem);

    private static JsonRequestBody TooLarge(HttpRequest request, long max)
    {
        // The rest of the body is never read, so the connection cannot carry another request: tell the client.
        request.HttpContext.Response.Headers.Connection = "close";
        return Failed(FunctionProblems.PayloadTooLarge(max));
    }
}

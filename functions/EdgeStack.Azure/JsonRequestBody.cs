using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>A JSON request body read within the function's size limit, or the problem that kept it from being read.</summary>
public sealed class JsonRequestBody : IDisposable
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JsonDocument? _document;

    private JsonRequestBody(JsonDocument? document, string text, IResult? problem)
    {
        _document = document;
        Text = text;
        Problem = problem;
    }

    /// <summary>Gets the problem to answer with (415, 413 or 400), or null when the body was read.</summary>
    public IResult? Problem { get; }

    /// <summary>Gets the body's root element; valid only when <see cref="Problem"/> is null.</summary>
    public JsonElement Root => _document?.RootElement ?? default;

    /// <summary>Gets the body as text, exactly as sent.</summary>
    public string Text { get; }

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
            using var buffer = new MemoryStream();
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

        string text;
        try
        {
            // Strict: a body that is not UTF-8 is refused, not stored with replacement characters in place of what was sent.
            text = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            return Failed(FunctionProblems.BadRequest("The body is not valid UTF-8: " + exception.Message));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            return Failed(FunctionProblems.BadRequest("The body is not valid JSON: " + exception.Message));
        }

        if (FindInvalidString(document.RootElement) is { } path)
        {
            // An escaped lone surrogate (\ud800) is valid JSON text but no string: reading it later would throw.
            document.Dispose();
            return Failed(FunctionProblems.BadRequest($"The body holds a string that is not valid Unicode (a lone surrogate escape) at {path}."));
        }

        return new JsonRequestBody(document, text, null);
    }

    private static string? FindInvalidString(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsReadable(element) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidString(item, path + "[" + index++.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path + " (a property name)";
                    }

                    if (FindInvalidString(property.Value, path + "." + name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsReadable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _document?.Dispose();

    private static JsonRequestBody Failed(IResult problem) => new(null, "", problem);

    private static JsonRequestBody TooLarge(HttpRequest request, long max)
    {
        // The rest of the body is never read, so the connection cannot carry another request: tell the client.
        request.HttpContext.Response.Headers.Connection = "close";
        return Failed(FunctionProblems.PayloadTooLarge(max));
    }
}

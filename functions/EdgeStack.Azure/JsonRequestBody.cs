using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>A JSON request body read within the function's size limit, or the problem that kept it from being read.</summary>
public sealed class JsonRequestBody : IDisposable
{
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

    /// <summary>Reads the body: it must be <c>application/json</c>, at most <c>Function:MaxBodyBytes</c>, and valid JSON.</summary>
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

        try
        {
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            return new JsonRequestBody(document, Encoding.UTF8.GetString(bytes), null);
        }
        catch (JsonException exception)
        {
            return Failed(FunctionProblems.BadRequest("The body is not valid JSON: " + exception.Message));
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

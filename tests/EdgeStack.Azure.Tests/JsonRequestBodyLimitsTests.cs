using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

/// <summary>What <see cref="JsonRequestBody"/> refuses (content type, size, encoding, syntax) and what it hands over when it reads a body.</summary>
public sealed class JsonRequestBodyLimitsTests
{
    private const int Max = 100;

    [Theory]
    [InlineData("text/plain", "'text/plain'")]
    [InlineData(null, "'(none)'")]
    public async Task ReadAsync_NotJson_Gets415NamingTheContentType(string? contentType, string named)
    {
        var request = Request("{}", contentType);

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        var problem = await ProblemAsync(body, StatusCodes.Status415UnsupportedMediaType);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/cloudevents+json")]
    public async Task ReadAsync_JsonContentTypeWithParametersOrSuffix_IsRead(string contentType)
    {
        using var body = await JsonRequestBody.ReadAsync(Request("""{"a":1}""", contentType), CancellationToken.None);

        Assert.Null(body.Problem);
        Assert.Equal(1, body.Root.GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverTheLimit_Gets413WithoutReadingAndClosesTheConnection()
    {
        var request = Request(JsonOfLength(Max + 1));
        request.Body = new UnreadableStream();

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        var problem = await ProblemAsync(body, StatusCodes.Status413PayloadTooLarge);
        Assert.Contains($"limit of {Max} bytes", problem, StringComparison.Ordinal);
        Assert.Equal("close", request.HttpContext.Response.Headers.Connection.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_BodyOfExactlyTheLimit_IsReadWhole(bool declared)
    {
        var json = JsonOfLength(Max);
        var request = Request(json, declared: declared);

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        Assert.Null(body.Problem);
        Assert.Equal(json, body.Text);
    }

    [Fact]
    public async Task ReadAsync_UndeclaredBodyPastTheLimit_Gets413()
    {
        var request = Request(JsonOfLength(Max + 1), declared: false);

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        await ProblemAsync(body, StatusCodes.Status413PayloadTooLarge);
        Assert.Equal("close", request.HttpContext.Response.Headers.Connection.ToString());
    }

    [Fact]
    public async Task ReadAsync_ServerRefusesTheBodyAsTooLarge_Gets413()
    {
        var request = Request("{}", declared: false);
        request.Body = new ThrowingStream(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        await ProblemAsync(body, StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task ReadAsync_ServerRefusesTheBodyForAnotherReason_LetsItsExceptionThrough()
    {
        var request = Request("{}", declared: false);
        request.Body = new ThrowingStream(new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest));

        var thrown = await Assert.ThrowsAsync<BadHttpRequestException>(() => JsonRequestBody.ReadAsync(request, CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, thrown.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_NotUtf8_Gets400SayingSo()
    {
        var request = Request([(byte)'"', 0xC3, 0x28, (byte)'"']);

        using var body = await JsonRequestBody.ReadAsync(request, CancellationToken.None);

        Assert.Contains("not valid UTF-8", await ProblemAsync(body, StatusCodes.Status400BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NotJson_Gets400SayingSo()
    {
        using var body = await JsonRequestBody.ReadAsync(Request("""{"a":"""), CancellationToken.None);

        Assert.Contains("not valid JSON", await ProblemAsync(body, StatusCodes.Status400BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ValidBody_GivesItsBytesAndTextExactlyAsSent()
    {
        const string json = " { \"name\" : \"caf\u00e9\" ,\n \"n\":1 } ";

        using var body = await JsonRequestBody.ReadAsync(Request(json), CancellationToken.None);

        Assert.Null(body.Problem);
        Assert.Equal(Encoding.UTF8.GetBytes(json), body.Bytes.ToArray());
        Assert.Equal(json, body.Text);
        Assert.Equal("caf\u00e9", body.Root.GetProperty("name").GetString());
    }

    private static string JsonOfLength(int length) => "\"" + new string('a', length - 2) + "\"";

    private static HttpRequest Request(string body, string? contentType = "application/json", bool declared = true) =>
        Request(Encoding.UTF8.GetBytes(body), contentType, declared);

    private static HttpRequest Request(byte[] bytes, string? contentType = "application/json", bool declared = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new FunctionOptions { MaxBodyBytes = Max }));
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Request.ContentType = contentType;
        context.Request.ContentLength = declared ? bytes.Length : null;

        // A few bytes per read, as a chunked body arrives: the limit holds across reads, not within one.
        context.Request.Body = new TrickleStream(bytes, 7);
        return context.Request;
    }

    private static async Task<string> ProblemAsync(JsonRequestBody body, int status)
    {
        Assert.NotNull(body.Problem);
        var (response, problem) = await FunctionProblemsTests.ExecuteAsync(body.Problem);
        Assert.Equal(status, response.StatusCode);
        return problem.GetProperty("detail").GetString()!;
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class TrickleStream(byte[] bytes, int perRead) : ReadOnlyStream
    {
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = Math.Min(Math.Min(perRead, buffer.Length), bytes.Length - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return ValueTask.FromResult(count);
        }
    }

    private sealed class UnreadableStream : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("A body over the declared limit must not be read.");
    }

    private sealed class ThrowingStream(Exception exception) : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw exception;
    }
}

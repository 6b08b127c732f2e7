using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

public sealed class JsonRequestBodyTests
{
    private const int Mib = 1024 * 1024;

    // A hang guard, not a benchmark: the old validator spent minutes of a core on each of these shapes; a linear read takes
    // well under a second alone, and 5 s allows a loaded 2-core machine running other test classes alongside.
    private static readonly TimeSpan s_pathologicalBound = TimeSpan.FromSeconds(5);

    public static TheoryData<string> PathologicalBodies => new()
    {
        // One 512K-character name over an array of ~256K elements: the path of every element held the name.
        "long-key-many-elements",
        // Many long keys, each holding a small array.
        "many-long-keys",
        // Deeply nested arrays whose leaves are long strings.
        "deep-arrays-of-long-strings",
        // ~100K short keys.
        "many-keys",
    };

    [Theory]
    [MemberData(nameof(PathologicalBodies))]
    public async Task ReadAsync_PathologicalOneMebibyteBody_IsReadInSecondsNotMinutes(string shape)
    {
        var body = Pathological(shape);
        Assert.InRange(body.Length, Mib / 2, Mib);
        var request = Request(body);

        var clock = Stopwatch.StartNew();
        using var read = await JsonRequestBody.ReadAsync(request, CancellationToken.None);
        clock.Stop();

        Assert.Null(read.Problem);
        Assert.True(clock.Elapsed < s_pathologicalBound, $"{shape}: {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task ReadAsync_LoneSurrogateAfterLongKey_NamesItsPathAndTakesSecondsNotMinutes()
    {
        var name = new string('k', 300_000);
        var body = "{\"" + name + "\":[" + string.Join(',', Enumerable.Repeat("0", 100_000)) + ",\"\\ud800\"]}";
        var request = Request(body);

        var clock = Stopwatch.StartNew();
        using var read = await JsonRequestBody.ReadAsync(request, CancellationToken.None);
        clock.Stop();

        var problem = await ProblemDetailAsync(read);
        Assert.Contains("$." + name + "[100000]", problem, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < s_pathologicalBound, $"{clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData("""{"a":{"b":["x","\ud800"]}}""", "$.a.b[1]")]
    [InlineData("""["\udfff"]""", "$[0]")]
    [InlineData("""{"ok":"\u00e9","bad":"\ud800x"}""", "$.bad")]
    [InlineData("""[{"a":1},{"b":[[],"\ud800"]}]""", "$[1].b[1]")]
    public async Task ReadAsync_LoneSurrogateString_IsRefusedNamingItsPath(string body, string path)
    {
        using var read = await JsonRequestBody.ReadAsync(Request(body), CancellationToken.None);

        var problem = await ProblemDetailAsync(read);
        Assert.Contains("at " + path + ".", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LoneSurrogatePropertyName_IsRefusedAsAPropertyName()
    {
        using var read = await JsonRequestBody.ReadAsync(Request("""{"a":{"\ud800":1}}"""), CancellationToken.None);

        var problem = await ProblemDetailAsync(read);
        Assert.Contains("$.a (a property name)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ValidEscapes_AreAccepted()
    {
        using var read = await JsonRequestBody.ReadAsync(Request("""{"\u00e9":"\ud83d\ude00","n":[1,"\n"]}"""), CancellationToken.None);

        Assert.Null(read.Problem);
        Assert.Equal("\ud83d\ude00", read.Root.GetProperty("é").GetString());
    }

    [Fact]
    public async Task ReadAsync_CancelledOnceTheBodyIsRead_StopsValidating()
    {
        using var aborted = new CancellationTokenSource();
        var request = Request(Pathological("many-keys"));
        request.Body = new CancelAtEndStream(request.Body, aborted);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JsonRequestBody.ReadAsync(request, aborted.Token));
    }

    private static string Pathological(string shape)
    {
        var text = new StringBuilder(Mib);
        switch (shape)
        {
            case "long-key-many-elements":
                text.Append("{\"").Append('k', 512 * 1024).Append("\":[");
                AppendRepeated(text, "0", ',', 240_000);
                text.Append("]}");
                break;
            case "many-long-keys":
                text.Append('{');
                for (var i = 0; i < 240; i++)
                {
                    text.Append(i == 0 ? "\"" : ",\"").Append(i).Append('k', 4000).Append("\":[0,0,0,0]");
                }

                text.Append('}');
                break;
            case "deep-arrays-of-long-strings":
                text.Append('[', 60);
                AppendRepeated(text, "\"" + new string('s', 8000) + "\"", ',', 120);
                text.Append(']', 60);
                break;
            case "many-keys":
                text.Append('{');
                for (var i = 0; i < 100_000; i++)
                {
                    text.Append(i == 0 ? "\"" : ",\"").Append(i).Append("\":0");
                }

                text.Append('}');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }

        return text.ToString();
    }

    private static void AppendRepeated(StringBuilder text, string item, char separator, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            text.Append(item);
        }
    }

    private static HttpRequest Request(string body)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new FunctionOptions()));
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }

    private static async Task<string> ProblemDetailAsync(JsonRequestBody read)
    {
        Assert.NotNull(read.Problem);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await read.Problem.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    /// <summary>Cancels the request's token once the whole body has been read: the client went away during validation.</summary>
    private sealed class CancelAtEndStream(Stream inner, CancellationTokenSource aborted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await aborted.CancelAsync();
            }

            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

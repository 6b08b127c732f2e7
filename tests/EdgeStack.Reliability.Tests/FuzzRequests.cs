using System.Globalization;
using System.Text;

namespace EdgeStack.Reliability.Tests;

/// <summary>One generated request: the bytes on the wire, what it tries, the id its body carries, and whether a correct app may accept it.</summary>
internal sealed record FuzzRequest(string Category, byte[] Bytes, bool HalfClose, string Id, bool MayBeAccepted = false);

/// <summary>Generates hostile requests for one app from a seeded <see cref="Random"/>.</summary>
internal sealed class FuzzRequests(Random random, int port, string key, string app)
{
    public static readonly string[] Categories =
    [
        "valid", "invalid-json", "invalid-utf8", "deep-nesting", "huge-body", "content-type", "hostile-id", "header-abuse", "key-abuse", "method-and-path",
        Pathological,
    ];

    /// <summary>The category of bodies just under the 1 MiB limit shaped to make a validator that copies paths quadratic.</summary>
    public const string Pathological = "pathological";

    /// <summary>The shapes of <see cref="Pathological"/> bodies; the first four may carry a valid request's fields, the last never passes.</summary>
    public static readonly string[] PathologicalShapes =
    [
        // One 512K-character name over an array of ~260K elements: the old validator copied the name into every element's path.
        "long-key-many-elements",
        // 240 names of 4000 characters, each over a small array.
        "many-long-keys",
        // ~100K short names.
        "many-keys",
        // Arrays nested 60 deep whose leaves are 120 strings of 8000 characters.
        "deep-arrays-of-long-strings",
        // The first shape with a lone-surrogate escape at its very end, as a value or as a name: refused, naming its path.
        "lone-surrogate-at-the-end",
    ];

    private static readonly string[] s_hostileIds =
    [
        "../x", "..", ".", "a/b", "a\\\\b", "..\\\\..\\\\x", "%2e%2e%2f", "a\\u0000b", "a\\nb", "a\\rb", "a\\u001bb", "a\\u007fb", "\\u202eabc", "ﬁle", "é", "x y", "",
        "a?b", "a#b", "a%00", "/etc/passwd", "processed/../x", "\\ud800", "\\udfff",
    ];

    private static readonly string[] s_contentTypes =
    [
        "", "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=\"", "json", "*/*", "application/xml", "application/json\u0001",
    ];

    private static readonly string[] s_paths =
    [
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//", "/%00", "/events/../events", "/jobs/%2e%2e", "/..%2f..%2f", "/ゆ", "/" + new string('a', 10_000),
        "/?id=../../x", "/readyz/../", "/healthz?x=\u0001",
    ];

    private int _n;

    private string Path => app switch
    {
        ReliabilityStack.Analytics => "/events",
        ReliabilityStack.Worker => "/jobs",
        _ => "/",
    };

    private string Method => app == ReliabilityStack.Hello ? "GET" : "POST";

    public FuzzRequest Next()
    {
        var n = _n++;
        var category = Categories[n % Categories.Length];
        var id = string.Create(CultureInfo.InvariantCulture, $"fz-{n}-{random.Next():x}");
        var request = category switch
        {
            "valid" => Valid(id),
            "invalid-json" => Post(category, Utf8(Pick(["{", "}", "[1,]", "{'id':'x'}", "NaN", "", "{\"id\":\"" + id + "\"", "{\"id\":\"" + id + "\",}", "\"" + id + "\"", "null", "{\"id\":1e999}", "{\"a\":\"\\x\"}"]))),
            "invalid-utf8" => Post(category, InvalidUtf8(id)),
            "deep-nesting" => Post(category, Utf8(Deep(random.Next(60, 5000)))),
            "huge-body" => Huge(id),
            "content-type" => Post(category, Utf8(ValidBody(id)), contentType: Pick(s_contentTypes)),
            "hostile-id" => Post(category, Utf8(HostileBody())),
            "header-abuse" => HeaderAbuse(id),
            "key-abuse" => KeyAbuse(id),
            Pathological => PathologicalRequest(PathologicalShapes[n / Categories.Length % PathologicalShapes.Length], id),
            _ => Request(category, Pick(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "POST"]), Pick(s_paths), Auth(), Utf8(ValidBody(id)), "application/json"),
        };

        // A valid body with a valid key may pass whatever else was odd about the request (a foreign Host, a query string,
        // a charset parameter); every other category must be refused.
        // hello is a GET: it never reads a body, so only the key decides.
        // Analytics stores what its events say: hostile names and properties are data there, not paths.
        var lenient = category is "valid" or "header-abuse" or "method-and-path" or "content-type"
            || (app == ReliabilityStack.Hello && category != "key-abuse")
            || (app == ReliabilityStack.Analytics && category == "hostile-id")
            || request.MayBeAccepted;
        return request with { Id = app == ReliabilityStack.Hello ? "hello" : id, MayBeAccepted = lenient };
    }

    /// <summary>A <see cref="Pathological"/> body of <paramref name="shape"/>, just under 1 MiB, with a valid key.</summary>
    public FuzzRequest PathologicalRequest(string shape, string id)
    {
        // Half of the object-shaped bodies lead with what a valid request holds, so they pass and are stored whole.
        var valid = shape != "lone-surrogate-at-the-end" && random.Next(2) == 0;
        var lead = !valid ? "" : app switch
        {
            ReliabilityStack.Analytics => $$"""{"name":"fuzz-{{id}}","function":"fuzz",""",
            ReliabilityStack.Worker => $$"""{"id":"{{id}}","steps":0,"stepMilliseconds":0,""",
            _ => $$"""{"id":"{{id}}",""",
        };
        var text = new StringBuilder(1024 * 1024);
        switch (shape)
        {
            case "long-key-many-elements":
            case "lone-surrogate-at-the-end":
                text.Append(lead.Length > 0 ? lead : "{").Append('"').Append('k', 512 * 1024).Append("\":[0");
                text.Insert(text.Length, ",0", 259_990);
                text.Append(shape == "long-key-many-elements" ? "]}" : random.Next(2) == 0 ? ",\"\\ud800\"]}" : "],\"\\udfff\":0}");
                break;
            case "many-long-keys":
                text.Append(lead.Length > 0 ? lead : "{");
                for (var i = 0; i < 240; i++)
                {
                    text.Append(i == 0 ? "\"" : ",\"").Append(i).Append('k', 4000).Append("\":[0,0,0,0]");
                }

                text.Append('}');
                break;
            case "many-keys":
                text.Append(lead.Length > 0 ? lead : "{");
                for (var i = 0; i < 100_000; i++)
                {
                    text.Append(i == 0 ? "\"" : ",\"").Append(i).Append("\":0");
                }

                text.Append('}');
                break;
            default:
                var leaf = "\"" + new string('s', 8000) + "\"";
                text.Append('[', 60).Append(leaf).Insert(text.Length, "," + leaf, 119).Append(']', 60);
                valid = false;
                break;
        }

        return Post(Pathological, Utf8(text.ToString())) with { MayBeAccepted = valid };
    }

    private FuzzRequest Valid(string id) => Post("valid", Utf8(ValidBody(id)));

    private string ValidBody(string id) => app switch
    {
        ReliabilityStack.Analytics => string.Create(CultureInfo.InvariantCulture, $$$"""[{"name":"fuzz-{{{id}}}","function":"fuzz","properties":{"n":"{{{id}}}"}},{"name":"fuzz2-{{{id}}}","function":"fuzz"}]"""),
        ReliabilityStack.Worker => $$"""{"id":"{{id}}","steps":0,"stepMilliseconds":0}""",
        _ => $$"""{"id":"{{id}}","v":"{{id}}"}""",
    };

    private string HostileBody()
    {
        var hostile = Pick(s_hostileIds);
        return app switch
        {
            ReliabilityStack.Analytics => Pick(
            [
                $$"""{"name":"{{hostile}}","function":"fuzz","timestamp":"{{hostile}}"}""",
                $$"""{"name":"{{new string('n', 129)}}"}""",
                """{"name":"x","function":{"a":1}}""",
                $$$"""{"name":"x","properties":{"p":"{{{new string('p', 40_000)}}}"}}""",
                "[" + string.Join(",", Enumerable.Repeat("""{"name":"x","function":"fuzz"}""", 501)) + "]",
                $$"""{"name":"\ud800","function":"fuzz"}""",
                $$$"""{"name":"x","function":"{{{hostile}}}","properties":{"{{{hostile}}}":"{{{hostile}}}"}}""",
            ]),
            ReliabilityStack.Worker => Pick(
            [
                $$"""{"id":"{{hostile}}","steps":0,"stepMilliseconds":0}""",
                """{"id":"w","steps":1e10,"stepMilliseconds":0}""",
                """{"id":"w","steps":-1,"stepMilliseconds":0}""",
                """{"id":"w","steps":"3","stepMilliseconds":0}""",
                """{"id":"w","steps":1.5}""",
                """{"id":"w","steps":10001}""",
                """{"id":"w","stepMilliseconds":-5}""",
                """{"id":null}""",
                """{"id":["a"]}""",
            ]),
            _ => Pick(
            [
                $$"""{"id":"{{hostile}}"}""",
                $$"""{"id":"{{new string('a', 129)}}"}""",
                """{"id":null}""",
                """{"id":12}""",
                """{"id":{"a":"b"}}""",
                """{"id":["a"]}""",
                """{"ID":"x"}""",
                """[{"id":"x"}]""",
            ]),
        };
    }

    private byte[] InvalidUtf8(string id)
    {
        var bad = Pick<byte[]>([[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x28, 0x8C, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]);
        var body = ValidBody(id);

        // The bad bytes land inside the id, or inside another string of the body.
        var at = random.Next(2) == 0 ? body.IndexOf(id, StringComparison.Ordinal) + 3 : body.Length - 3;
        return [.. Encoding.UTF8.GetBytes(body[..at]), .. bad, .. Encoding.UTF8.GetBytes(body[at..])];
    }

    private string Deep(int depth) => random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"id\":", depth)) + "1" + new string('}', depth);

    private FuzzRequest Huge(string id)
    {
        var pad = new string('x', 1024 * 1024 + random.Next(1, 2 * 1024 * 1024));
        var body = Utf8($$"""{"id":"{{id}}","pad":"{{pad}}"}""");
        return random.Next(3) switch
        {
            0 => Post("huge-body", body),
            1 => Request("huge-body", Method, Path, Auth(valid: true), body, "application/json", chunked: true),
            _ => Request("huge-body", Method, Path, [.. Auth(valid: true), ("Content-Length", "50000000")], Utf8(ValidBody(id)), "application/json", contentLength: false, halfClose: true),
        };
    }

    private FuzzRequest HeaderAbuse(string id)
    {
        var body = Utf8(ValidBody(id));
        var auth = Auth(valid: true);
        return random.Next(10) switch
        {
            0 => Request("header-abuse", Method, Path, [.. auth, ("X-Big", new string('h', 40_000))], body, "application/json"),
            1 => Request("header-abuse", Method, Path, [.. auth, .. Enumerable.Range(0, 200).Select(i => ("X-H" + i.ToString(CultureInfo.InvariantCulture), "v"))], body, "application/json"),
            2 => Request("header-abuse", Method, Path, [.. auth, ("X-Bin", "\u00ff\u00fe\u0001")], body, "application/json"),
            3 => Request("header-abuse", Method, Path, [.. auth, ("Bad Header", "x")], body, "application/json"),
            4 => Request("header-abuse", Method, Path, [.. auth, ("Content-Length", "-1")], body, "application/json", contentLength: false),
            5 => Request("header-abuse", Method, Path, [.. auth, ("Content-Length", "abc")], body, "application/json", contentLength: false),
            6 => Request("header-abuse", Method, Path, [.. auth, ("Content-Length", "3"), ("Content-Length", "4")], body, "application/json", contentLength: false),
            7 => Request("header-abuse", Method, Path, [.. auth, ("Transfer-Encoding", "gzip, chunked"), ("Content-Length", "5")], body, "application/json", contentLength: false),
            8 => Request("header-abuse", Method, Path, [.. auth, ("Expect", "100-continue"), ("Host", "evil.example")], body, "application/json", host: false),
            _ => Request("header-abuse", Method, "http://evil.example" + Path, auth, body, "application/json", version: Pick(["HTTP/1.0", "HTTP/1.1", "HTTP/9.9"])),
        };
    }

    private FuzzRequest KeyAbuse(string id)
    {
        var body = Utf8(ValidBody(id));
        (string, string)[] headers = random.Next(10) switch
        {
            0 => [],
            1 => [("Authorization", "Bearer not-the-key")],
            2 => [("Authorization", "Bearer ")],
            3 => [("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + key[..4])))],
            4 => [("Authorization", "Bearer " + key[..^1])],
            5 => [("Authorization", "Bearer " + key + "x")],
            6 => [("apikey", key.ToUpperInvariant())],
            7 => [("Authorization", "Bearer wrong"), ("Authorization", "Bearer also-wrong")],
            8 => [("Authorization", "Bearer " + new string('k', 8000))],
            _ => [("apikey", "")],
        };
        return Request("key-abuse", Method, Path + (random.Next(4) == 0 ? "?apikey=" + Uri.EscapeDataString(key) : ""), headers, body, "application/json");
    }

    private FuzzRequest Post(string category, byte[] body, string contentType = "application/json") =>
        Request(category, Method, Path, Auth(valid: true), body, contentType);

    private (string, string)[] Auth(bool valid = false)
    {
        if (!valid && random.Next(3) == 0)
        {
            return [("Authorization", "Bearer wrong-" + random.Next().ToString(CultureInfo.InvariantCulture))];
        }

        return random.Next(3) switch
        {
            0 => [("apikey", key)],
            1 => [("Authorization", "bearer " + key)],
            _ => [("Authorization", "Bearer " + key)],
        };
    }

    private FuzzRequest Request(
        string category,
        string method,
        string target,
        IEnumerable<(string Name, string Value)> headers,
        byte[] body,
        string contentType,
        bool contentLength = true,
        bool chunked = false,
        bool halfClose = false,
        bool host = true,
        string version = "HTTP/1.1")
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} {version}\r\n");
        if (host)
        {
            head.Append(CultureInfo.InvariantCulture, $"Host: 127.0.0.1:{port}\r\n");
        }

        head.Append("Connection: close\r\n");
        if (contentType.Length > 0 && method != "GET")
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        }

        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (method == "GET")
        {
            body = [];
        }
        else if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
            var chunks = new List<byte>();
            foreach (var part in body.Chunk(64 * 1024))
            {
                chunks.AddRange(Encoding.ASCII.GetBytes(part.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                chunks.AddRange(part);
                chunks.AddRange("\r\n"u8.ToArray());
            }

            chunks.AddRange("0\r\n\r\n"u8.ToArray());
            body = [.. chunks];
        }
        else if (contentLength)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");

        // Latin-1 keeps bytes 0x80–0xFF in header values as single raw bytes, as a hostile client would send them.
        return new FuzzRequest(category, [.. Encoding.Latin1.GetBytes(head.ToString()), .. body], halfClose, "");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private T Pick<T>(T[] choices) => choices[random.Next(choices.Length)];
}

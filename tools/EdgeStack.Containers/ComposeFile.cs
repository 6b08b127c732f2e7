using System.Globalization;
using System.Text;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Containers;

/// <summary>
/// docker-compose.yml, derived from the function declarations: Azurite plus one service per function that runs as a
/// server (every kind but <c>scheduled</c>), each built from the one Dockerfile with its <c>APP</c>.
/// </summary>
/// <remarks>
/// Works with Compose v1 (Debian's 1.29: no top-level <c>name:</c>) and v2. Host ports are those of
/// <c>./edgestack serve</c> (functions from 7401 in name order, Azurite 10000–10002), bound to 127.0.0.1 only, each
/// movable by an environment variable (<see cref="PortVariable"/>).
/// </remarks>
internal static class ComposeFile
{
    /// <summary>The file's name at the repository root.</summary>
    public const string FileName = "docker-compose.yml";

    /// <summary>The first function's host port is this plus one, as <c>./edgestack serve</c> numbers them.</summary>
    public const int PortBase = 7400;

    /// <summary>Azurite's blob port; queue and table take the next two.</summary>
    public const int AzuritePortBase = 10000;

    /// <summary>The port every app listens on inside its container (the official images' default).</summary>
    public const int ContainerPort = 8080;

    /// <summary>The containers' grace period: the compose stop timeout and the apps' <c>TerminationGracePeriodSeconds</c>.</summary>
    public const int GracePeriodSeconds = 30;

    /// <summary>The environment variable that holds the one local key of every function.</summary>
    public const string KeyVariable = "EDGESTACK_KEY";

    /// <summary>The key used when <see cref="KeyVariable"/> is not set: local use only.</summary>
    public const string DefaultKey = "local-dev-key-not-a-secret-0123456789";

    /// <summary>The variable that sets the analytics sink's read key (<c>GET /events</c>).</summary>
    public const string ReadKeyVariable = "EDGESTACK_READ_KEY";

    /// <summary>The sink's read key when <see cref="ReadKeyVariable"/> is unset: local use only, and 32 characters or more like every key.</summary>
    public const string DefaultReadKey = "local-dev-read-key-not-a-secret-012345";

    /// <summary>The Azurite image, as the official registry names it (the stand-in carries the same name).</summary>
    public const string AzuriteImage = "mcr.microsoft.com/azure-storage/azurite:3.35.0";

    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    public const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The storage emulator's service name.</summary>
    public const string AzuriteService = "azurite";

    public static readonly (string Service, int Offset)[] AzuritePorts = [("blob", 0), ("queue", 1), ("table", 2)];

    /// <summary>The image a function is built into, locally and by the compose file.</summary>
    public static string Image(string function) => $"edgestack-{function}:local";

    /// <summary>The environment variable that moves a function's host port, such as <c>EDGESTACK_HELLO_PORT</c>.</summary>
    public static string PortVariable(string name) => "EDGESTACK_" + name.ToUpperInvariant().Replace('-', '_') + "_PORT";

    /// <summary>Gets the functions that run as servers (a container each), in the order their ports follow.</summary>
    public static IReadOnlyList<FunctionDeclaration> Served(IReadOnlyList<FunctionDeclaration> functions) =>
        [.. functions.Where(f => f.Kind != FunctionKind.Scheduled)];

    /// <summary>A function's default host port: as <c>./edgestack serve</c>, the port base plus its place among all discovered functions.</summary>
    public static int DefaultPort(IReadOnlyList<FunctionDeclaration> functions, string function) =>
        PortBase + 1 + functions.Select(f => f.Name).ToList().IndexOf(function);

    /// <summary>The connection string of Azurite's development account for the given endpoints' host and first port.</summary>
    public static string ConnectionString(string host, int blobPort) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://{host}:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://{host}:{blobPort + 1}/devstoreaccount1;" +
        $"TableEndpoint=http://{host}:{blobPort + 2}/devstoreaccount1;");

    /// <summary>Writes the compose file's text for these declarations (ordered by name, as discovered).</summary>
    public static string Render(IReadOnlyList<FunctionDeclaration> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var served = Served(functions);
        if (served.FirstOrDefault(f => f.Name == AzuriteService) is { } clash)
        {
            throw new InvalidOperationException($"A function may not be named '{clash.Name}' in {FileName}: that is the storage emulator's service; rename {clash.Folder}.");
        }

        var sink = functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink);
        var key = "${" + KeyVariable + ":-" + DefaultKey + "}";
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# GENERATED by `./edgestack compose` from functions/*/edgestack.json; do not edit by hand (a test compares it).");
        Line("# EdgeStack locally with Docker: Azurite and every function, each its own container like in Azure.");
        Line("#   docker-compose up -d      (Compose v1 or v2: `docker compose up -d`; builds missing images from functions/Dockerfile)");
        Line("#   curl -H \"apikey: " + DefaultKey + "\" http://127.0.0.1:<port>/");
        Line("# Host ports, on 127.0.0.1 only, numbered as `./edgestack serve` numbers them (each movable by its variable):");
        foreach (var function in served)
        {
            Line(Invariant($"#   {function.Name,-12} {DefaultPort(functions, function.Name)}  {PortVariable(function.Name)}"));
        }

        Line(Invariant($"#   {AzuriteService,-12} {AzuritePortBase}-{AzuritePortBase + 2}  {PortVariable(AzuriteService + "-blob")}, {PortVariable(AzuriteService + "-queue")}, {PortVariable(AzuriteService + "-table")}"));
        Line("# Differences from serve: no gateway (/functions/v1/<name>); one key for every function, " + KeyVariable + " (default");
        Line("# " + DefaultKey + ", local use only), where serve makes one per function; in Azure each key is a Pulumi secret.");
        Line("# The analytics sink's GET /events takes its read key, " + ReadKeyVariable + " (default " + DefaultReadKey + ").");
        Line();
        Line("services:");
        Line("  " + AzuriteService + ":");
        Line("    image: " + AzuriteImage);
        Line("    command: >-");
        Line("      azurite --blobHost 0.0.0.0 --queueHost 0.0.0.0 --tableHost 0.0.0.0");
        Line("      --skipApiVersionCheck --disableTelemetry --loose --location /data");
        Line("    ports:");
        foreach (var (service, offset) in AzuritePorts)
        {
            var port = AzuritePortBase + offset;
            Line(Invariant($"      - \"127.0.0.1:${{{PortVariable(AzuriteService + "-" + service)}:-{port}}}:{port}\""));
        }

        Line("    volumes:");
        Line("      - azurite-data:/data");
        foreach (var function in served)
        {
            Line();
            Line("  " + function.Name + ":");
            Line("    image: " + Image(function.Name));
            Line("    build:");
            Line("      context: .");
            Line("      dockerfile: " + StackPlanner.Dockerfile);
            Line("      args:");
            Line("        " + StackPlanner.DockerfileAppArgument + ": " + function.Name);
            Line("    restart: unless-stopped");
            Line(Invariant($"    stop_grace_period: {GracePeriodSeconds}s"));
            Line("    depends_on:");
            Line("      " + AzuriteService + ":");
            Line("        condition: service_started");
            var client = function.Analytics == AnalyticsRole.Client && sink is not null;
            if (client)
            {
                Line("      " + sink!.Name + ":");
                Line("        condition: service_healthy");
            }

            Line("    environment:");
            Env(SettingNames.FunctionName, function.Name);
            Env(SettingNames.FunctionKey, key);
            Env(SettingNames.FunctionRequireKey, function.RequireKey ? "true" : "false");
            if (function.Analytics == AnalyticsRole.Sink)
            {
                Env(SettingNames.FunctionReadKey, "${" + ReadKeyVariable + ":-" + DefaultReadKey + "}");
            }

            Env(SettingNames.StorageConnectionString, ConnectionString(AzuriteService, AzuritePortBase));
            Env(SettingNames.TerminationGracePeriodSeconds, GracePeriodSeconds.ToString(CultureInfo.InvariantCulture));
            if (client)
            {
                Env(SettingNames.AnalyticsEndpoint, Invariant($"http://{sink!.Name}:{ContainerPort}"));
                Env(SettingNames.AnalyticsKey, key);
            }

            Line("    ports:");
            Line(Invariant($"      - \"127.0.0.1:${{{PortVariable(function.Name)}:-{DefaultPort(functions, function.Name)}}}:{ContainerPort}\""));
        }

        Line();
        Line("volumes:");
        Line("  azurite-data:");
        return text.ToString();

        void Env(string setting, string value) => Line("      " + SettingNames.ToEnvironmentVariable(setting) + ": \"" + value + "\"");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

namespace EdgeStack.Blueprint;

/// <summary>
/// One function, as declared by its folder <c>functions/&lt;name&gt;/</c> and the <c>edgestack.json</c> in it: the only
/// place a function is described. Everything else (serve, test, the Dockerfile, the Blueprint and the Pulumi program)
/// discovers it with <see cref="FunctionManifest.Discover"/>.
/// </summary>
public sealed record FunctionDeclaration
{
    /// <summary>The function's name: its folder's name, its project's and assembly's name, and the Dockerfile's <c>APP</c> argument.</summary>
    public required string Name { get; init; }

    /// <summary>How it is started and reached.</summary>
    public required FunctionKind Kind { get; init; }

    /// <summary>Its ingress unless the stack says otherwise (<c>ingress</c>; by kind: http external, queue internal, scheduled none).</summary>
    public required IngressMode DefaultIngress { get; init; }

    /// <summary>Whether callers must present the function key unless the stack says otherwise (<c>requireKey</c>, default true).</summary>
    public bool RequireKey { get; init; } = true;

    /// <summary>Its part in analytics (<c>analytics</c>, default none).</summary>
    public AnalyticsRole Analytics { get; init; }

    /// <summary>The names of the durable work handlers it registers (<c>durableHandlers</c>): it consumes its own work queue and finishes its handed-off work itself.</summary>
    public IReadOnlyList<string> DurableHandlers { get; init; } = [];

    /// <summary>The cron schedule (UTC, five fields) of a <see cref="FunctionKind.Scheduled"/> function (<c>schedule</c>); null for the other kinds.</summary>
    public string? Schedule { get; init; }

    /// <summary>The storage resources it uses and how (<c>storage</c>); its own work queues are implied by <see cref="DurableHandlers"/>.</summary>
    public IReadOnlyList<StorageNeed> Storage { get; init; } = [];

    /// <summary>Gets the folder, relative to the repository root, such as <c>functions/hello</c>.</summary>
    public string Folder => FunctionManifest.FunctionsFolder + "/" + Name;

    /// <summary>Gets the project file, relative to the repository root, such as <c>functions/hello/hello.csproj</c>.</summary>
    public string ProjectPath => Folder + "/" + Name + ".csproj";

    /// <summary>Gets whether the function has durable work, and so its own work queue and poison queue.</summary>
    public bool HasDurableWork => DurableHandlers.Count > 0;

    /// <summary>Gets the queue its durable work goes to, or null without durable handlers.</summary>
    public string? WorkQueue => HasDurableWork ? EdgeStack.Contracts.StorageNames.WorkQueueOf(Name) : null;

    /// <summary>Gets the queue its failed durable work goes to, or null without durable handlers.</summary>
    public string? PoisonQueue => HasDurableWork ? EdgeStack.Contracts.StorageNames.PoisonQueueOf(Name) : null;

    /// <summary>
    /// Gets every storage resource it uses: the declared ones, and with durable work its own work queues and the
    /// container its large payloads are staged in (<c>uploads/staging/&lt;name&gt;/</c>), each once.
    /// </summary>
    public IEnumerable<StorageNeed> AllStorage =>
        HasDurableWork
            ? Storage.Concat(
                [
                    new StorageNeed(StorageKind.Queue, WorkQueue!, StorageAccess.ReadWrite),
                    new StorageNeed(StorageKind.Queue, PoisonQueue!, StorageAccess.ReadWrite),
                    new StorageNeed(StorageKind.Container, EdgeStack.Contracts.StorageNames.UploadsContainer, StorageAccess.ReadWrite),
                ])
                .GroupBy(need => (need.Kind, need.Name))
                .Select(same => same.MaxBy(need => need.Access)!)
            : Storage;
}

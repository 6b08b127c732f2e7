using EdgeStack.Blueprint;
using Pulumi;
using Pulumi.AzureNative.App.Inputs;
using App = Pulumi.AzureNative.App;
using Docker = Pulumi.Docker;

namespace EdgeStack.Infra;

/// <summary>What a function's Container App and its Container Apps Job are deployed with alike, from a <see cref="WorkloadPlan"/>.</summary>
internal sealed class WorkloadDeployment
{
    private readonly WorkloadPlan _workload;
    private readonly SharedResources _shared;
    private readonly IReadOnlyDictionary<string, Output<string>> _urls;

    private WorkloadDeployment(WorkloadPlan workload, FunctionAccess access, Docker.Image image, SharedResources shared, IReadOnlyDictionary<string, Output<string>> urls)
    {
        _workload = workload;
        Access = access;
        Image = image;
        _shared = shared;
        _urls = urls;
    }

    /// <summary>The workload's identity and its role assignments.</summary>
    public FunctionAccess Access { get; }

    /// <summary>The workload's image, built and pushed.</summary>
    public Docker.Image Image { get; }

    /// <summary>The identity, its roles and the image: what must exist before the app or job.</summary>
    public static WorkloadDeployment Prepare(StackPlan plan, WorkloadPlan workload, SharedResources shared, IReadOnlyDictionary<string, Output<string>> urls) =>
        new(workload, FunctionAccess.Deploy(workload.Identity, workload.Roles, plan, shared), BuildImage(workload.Image, shared), shared, urls);

    /// <summary>The app or job runs as its own user-assigned identity.</summary>
    public ManagedServiceIdentityArgs Identity() => new()
    {
        Type = App.ManagedServiceIdentityType.UserAssigned,
        UserAssignedIdentities = { Access.Identity.Id },
    };

    /// <summary>The registry, pulled from with the workload's identity (AcrPull), never an admin password.</summary>
    public RegistryCredentialsArgs Registry() => new() { Server = _shared.Registry.LoginServer, Identity = Access.Identity.Id };

    /// <summary>The planned secrets, each holding the function key it names.</summary>
    public List<SecretArgs> Secrets() =>
        [.. _workload.Secrets.Select(secret => new SecretArgs { Name = secret.Name, Value = _shared.FunctionKeys[(secret.FunctionName, secret.Use)] })];

    /// <summary>The one container: named for the function, the image by digest, the planned environment and resources.</summary>
    public ContainerArgs Container() => new()
    {
        Name = _workload.FunctionName,
        Image = Image.RepoDigest,
        Env = _workload.Env.Select(ToEnvironmentVar).ToList(),
        Resources = new ContainerResourcesArgs { Cpu = _workload.Cpu, Memory = _workload.Memory },
    };

    /// <summary>Options that make the app or job wait for its roles: its first replica must already pull its image and reach storage.</summary>
    public CustomResourceOptions AfterRoles() => new() { DependsOn = Access.Roles.ToArray<Resource>() };

    /// <summary>A function's image, built from the one Dockerfile and pushed to the stack's registry.</summary>
    private static Docker.Image BuildImage(ImagePlan image, SharedResources shared) =>
        // Pushed with the deployer's own Azure AD identity, exchanged for a registry token: the admin user stays off.
        new(image.LogicalName, new Docker.ImageArgs
        {
            ImageName = Output.Format($"{shared.Registry.LoginServer}/{image.Repository}:{image.Tag}"),
            Build = new Docker.Inputs.DockerBuildArgs
            {
                Context = image.Context,
                Dockerfile = image.Dockerfile,
                Args = image.BuildArgs.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
                Platform = image.Platform,
            },
            Registry = shared.RegistryPush,
        });

    private EnvironmentVarArgs ToEnvironmentVar(EnvVarPlan env) =>
        env.Source switch
        {
            EnvValueSource.Literal => new EnvironmentVarArgs { Name = env.Name, Value = env.Value },
            EnvValueSource.SecretRef => new EnvironmentVarArgs { Name = env.Name, SecretRef = env.Value },
            EnvValueSource.BlobEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = _shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Blob) },
            EnvValueSource.QueueEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = _shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Queue) },
            EnvValueSource.TableEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = _shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Table) },
            EnvValueSource.IdentityClientId => new EnvironmentVarArgs { Name = env.Name, Value = Access.Identity.ClientId },
            EnvValueSource.FunctionUrl => new EnvironmentVarArgs { Name = env.Name, Value = _urls[env.Value] },
            _ => throw new InvalidOperationException($"Unknown environment value source {env.Source}."),
        };
}

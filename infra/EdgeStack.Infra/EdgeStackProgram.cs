using EdgeStack.Blueprint;
using Pulumi;
using Pulumi.AzureNative.App.Inputs;
using App = Pulumi.AzureNative.App;
using Authorization = Pulumi.AzureNative.Authorization;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using Docker = Pulumi.Docker;
using ManagedIdentity = Pulumi.AzureNative.ManagedIdentity;
using OperationalInsights = Pulumi.AzureNative.OperationalInsights;
using Resources = Pulumi.AzureNative.Resources;
using Storage = Pulumi.AzureNative.Storage;

namespace EdgeStack.Infra;

/// <summary>The EdgeStack resource graph: reads the stack config, builds the Blueprint plan and maps it 1:1 onto resources.</summary>
/// <remarks>Every decision lives in <see cref="StackPlanner"/>; this class only translates the plan, so tests can run it through <c>Deployment.TestAsync</c>.</remarks>
public static class EdgeStackProgram
{
    /// <summary>Builds the stack; <c>Program.cs</c> hands this to <c>Deployment.RunAsync</c>.</summary>
    /// <returns>The stack outputs.</returns>
    public static Task<IDictionary<string, object?>> RunAsync() =>
        RunAsync(FunctionManifest.FindRepositoryRoot(Environment.CurrentDirectory));

    /// <summary>Builds the stack of the functions discovered in a repository.</summary>
    /// <param name="repositoryRoot">The repository whose <c>functions/*/edgestack.json</c> declare the functions.</param>
    /// <returns>The stack outputs.</returns>
    public static async Task<IDictionary<string, object?>> RunAsync(string repositoryRoot)
    {
        var functions = FunctionManifest.Discover(repositoryRoot);
        var config = new Pulumi.Config();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in StackConfigKeys.Plain)
        {
            if (config.Get(key) is { } value)
            {
                values[key] = value;
            }
        }

        // Only whether a secret is set reaches the plan; its value goes straight into the app's secret.
        var secretsSet = StackConfigKeys.Secrets(functions).Where(key => config.GetSecret(key) is not null).ToHashSet(StringComparer.Ordinal);
        var settings = StackSettingsParser.Parse(values, secretsSet, functions);

        var client = await Authorization.GetClientConfig.InvokeAsync();
        var identity = new StackIdentity(client.SubscriptionId, Pulumi.Deployment.Instance.ProjectName, Pulumi.Deployment.Instance.StackName);
        var plan = StackPlanner.Plan(settings, identity);

        return Deploy(plan, config);
    }

    private static Dictionary<string, object?> Deploy(StackPlan plan, Pulumi.Config config)
    {
        var resourceGroup = new Resources.ResourceGroup(LogicalNames.ResourceGroup, new Resources.ResourceGroupArgs
        {
            ResourceGroupName = plan.Names.ResourceGroup,
            Location = plan.Location,
        });

        var workspace = new OperationalInsights.Workspace(LogicalNames.Workspace, new OperationalInsights.WorkspaceArgs
        {
            ResourceGroupName = resourceGroup.Name,
            WorkspaceName = plan.Names.Workspace,
            Location = plan.Location,
            Sku = new OperationalInsights.Inputs.WorkspaceSkuArgs { Name = OperationalInsights.WorkspaceSkuNameEnum.PerGB2018 },
            RetentionInDays = plan.AnalyticsRetentionDays,
        });

        var workspaceKeys = OperationalInsights.GetSharedKeys.Invoke(new OperationalInsights.GetSharedKeysInvokeArgs
        {
            ResourceGroupName = resourceGroup.Name,
            WorkspaceName = workspace.Name,
        });

        var environment = new App.ManagedEnvironment(LogicalNames.Environment, new App.ManagedEnvironmentArgs
        {
            ResourceGroupName = resourceGroup.Name,
            EnvironmentName = plan.Names.Environment,
            Location = plan.Location,
            AppLogsConfiguration = new AppLogsConfigurationArgs
            {
                Destination = "log-analytics",
                LogAnalyticsConfiguration = new LogAnalyticsConfigurationArgs
                {
                    CustomerId = workspace.CustomerId,
                    SharedKey = Output.CreateSecret(workspaceKeys.Apply(keys => keys.PrimarySharedKey ?? string.Empty)),
                },
            },
        });

        var registry = new ContainerRegistry.Registry(LogicalNames.Registry, new ContainerRegistry.RegistryArgs
        {
            ResourceGroupName = resourceGroup.Name,
            RegistryName = plan.Names.Registry,
            Location = plan.Location,
            Sku = new ContainerRegistry.Inputs.SkuArgs { Name = ContainerRegistry.SkuName.Basic },
            AdminUserEnabled = false,
        });

        var identity = new ManagedIdentity.UserAssignedIdentity(LogicalNames.Identity, new ManagedIdentity.UserAssignedIdentityArgs
        {
            ResourceGroupName = resourceGroup.Name,
            ResourceName = plan.Names.Identity,
            Location = plan.Location,
        });

        var storage = new Storage.StorageAccount(LogicalNames.StorageAccount, new Storage.StorageAccountArgs
        {
            ResourceGroupName = resourceGroup.Name,
            AccountName = plan.Names.StorageAccount,
            Location = plan.Location,
            Kind = Storage.Kind.StorageV2,
            Sku = new Storage.Inputs.SkuArgs { Name = Storage.SkuName.Standard_LRS },
            AccessTier = Storage.AccessTier.Hot,
            EnableHttpsTrafficOnly = true,
            MinimumTlsVersion = Storage.MinimumTlsVersion.TLS1_2,
            AllowBlobPublicAccess = false,

            // Apps and the worker's scale rule authenticate with the identity; no key exists to leak.
            AllowSharedKeyAccess = false,
            DefaultToOAuthAuthentication = true,
        });

        var containers = plan.Containers.ToDictionary(
            name => name,
            name => new Storage.BlobContainer(LogicalNames.Container(name), new Storage.BlobContainerArgs
            {
                ResourceGroupName = resourceGroup.Name,
                AccountName = storage.Name,
                ContainerName = name,
                PublicAccess = Storage.PublicAccess.None,
            }),
            StringComparer.Ordinal);

        var queues = plan.Queues.ToDictionary(
            name => name,
            name => new Storage.Queue(LogicalNames.Queue(name), new Storage.QueueArgs
            {
                ResourceGroupName = resourceGroup.Name,
                AccountName = storage.Name,
                QueueName = name,
            }),
            StringComparer.Ordinal);

        var tables = plan.Tables.ToDictionary(
            name => name,
            name => new Storage.Table(LogicalNames.Table(name), new Storage.TableArgs
            {
                ResourceGroupName = resourceGroup.Name,
                AccountName = storage.Name,
                TableName = name,
            }),
            StringComparer.Ordinal);

        var roleAssignments = plan.RoleAssignments.Select(role => new Authorization.RoleAssignment(role.LogicalName, new Authorization.RoleAssignmentArgs
        {
            PrincipalId = identity.PrincipalId,
            PrincipalType = Authorization.PrincipalType.ServicePrincipal,
            RoleDefinitionId = role.RoleDefinitionId(plan.Identity.SubscriptionId),
            Scope = role.Scope switch
            {
                RoleScope.Registry => registry.Id,
                RoleScope.StorageAccount => storage.Id,
                _ => throw new InvalidOperationException($"Unknown role scope {role.Scope}."),
            },
        })).ToList();

        var shared = new SharedResources(registry, identity, storage, environment, resourceGroup, roleAssignments);
        var urls = new Dictionary<string, Output<string>>(StringComparer.Ordinal);
        foreach (var app in plan.Apps)
        {
            var containerApp = DeployApp(plan, app, shared, urls, config);
            if (app.Ingress != IngressMode.None)
            {
                urls[app.FunctionName] = containerApp.Configuration.Apply(c => "https://" + (c?.Ingress?.Fqdn ?? string.Empty));
            }
        }

        foreach (var job in plan.Jobs)
        {
            JobDeployment.Deploy(plan, job, shared, urls, config);
        }

        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [StackOutputNames.ResourceGroupName] = resourceGroup.Name,
            [StackOutputNames.StorageAccountName] = storage.Name,
            [StackOutputNames.Containers] = Output.All(containers.Values.Select(c => c.Name)),
            [StackOutputNames.Queues] = Output.All(queues.Values.Select(q => q.Name)),
            [StackOutputNames.Tables] = Output.All(tables.Values.Select(t => t.Name)),
            [StackOutputNames.RegistryServer] = registry.LoginServer,
        };
        foreach (var (functionName, url) in urls)
        {
            outputs[StackOutputNames.FunctionUrl(functionName)] = url;
        }

        return outputs;
    }

    private static App.ContainerApp DeployApp(
        StackPlan plan,
        AppPlan app,
        SharedResources shared,
        Dictionary<string, Output<string>> urls,
        Pulumi.Config config)
    {
        var image = BuildImage(app.Image, shared);

        var configuration = new ConfigurationArgs
        {
            ActiveRevisionsMode = App.ActiveRevisionsMode.Single,
            Registries = { new RegistryCredentialsArgs { Server = shared.Registry.LoginServer, Identity = shared.Identity.Id } },
            Secrets = app.Secrets.Select(secret => new SecretArgs { Name = secret.Name, Value = config.RequireSecret(secret.ConfigKey) }).ToList(),
        };
        if (app.Ingress != IngressMode.None)
        {
            configuration.Ingress = new IngressArgs
            {
                External = app.Ingress == IngressMode.External,
                TargetPort = app.TargetPort,
                Transport = App.IngressTransportMethod.Auto,
                AllowInsecure = false,
            };
        }

        return new App.ContainerApp(app.LogicalName, new App.ContainerAppArgs
        {
            ResourceGroupName = shared.ResourceGroup.Name,
            ContainerAppName = app.AppName,
            Location = plan.Location,
            EnvironmentId = shared.Environment.Id,
            Identity = new ManagedServiceIdentityArgs
            {
                Type = App.ManagedServiceIdentityType.UserAssigned,
                UserAssignedIdentities = { shared.Identity.Id },
            },
            Configuration = configuration,
            Template = new TemplateArgs
            {
                TerminationGracePeriodSeconds = app.TerminationGracePeriodSeconds,
                Containers =
                {
                    new ContainerArgs
                    {
                        Name = app.FunctionName,
                        Image = image.RepoDigest,
                        Env = app.Env.Select(env => ToEnvironmentVar(env, shared, urls)).ToList(),
                        Probes = app.Probes.Select(ToProbe).ToList(),
                        Resources = new ContainerResourcesArgs { Cpu = app.Cpu, Memory = app.Memory },
                    },
                },
                Scale = new ScaleArgs
                {
                    MinReplicas = app.Scale.MinReplicas,
                    MaxReplicas = app.Scale.MaxReplicas,
                    Rules = app.Scale.Rules.Select(rule => ToScaleRule(rule, shared)).ToList(),
                },
            },
        }, new CustomResourceOptions
        {
            // The first revision must already be able to pull its image and reach storage.
            DependsOn = shared.RoleAssignments.ToArray<Resource>(),
        });
    }

    /// <summary>A function's image, built from the one Dockerfile and pushed to the stack's registry; apps and jobs alike.</summary>
    internal static Docker.Image BuildImage(ImagePlan image, SharedResources shared) =>
        // Pushed with the local Docker credentials (`az acr login`): the registry's admin user stays off.
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
            Registry = new Docker.Inputs.RegistryArgs { Server = shared.Registry.LoginServer },
        });

    internal static EnvironmentVarArgs ToEnvironmentVar(EnvVarPlan env, SharedResources shared, Dictionary<string, Output<string>> urls) =>
        env.Source switch
        {
            EnvValueSource.Literal => new EnvironmentVarArgs { Name = env.Name, Value = env.Value },
            EnvValueSource.SecretRef => new EnvironmentVarArgs { Name = env.Name, SecretRef = env.Value },
            EnvValueSource.BlobEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Blob) },
            EnvValueSource.QueueEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Queue) },
            EnvValueSource.TableEndpoint => new EnvironmentVarArgs { Name = env.Name, Value = shared.StorageAccount.PrimaryEndpoints.Apply(e => e.Table) },
            EnvValueSource.IdentityClientId => new EnvironmentVarArgs { Name = env.Name, Value = shared.Identity.ClientId },
            EnvValueSource.FunctionUrl => new EnvironmentVarArgs { Name = env.Name, Value = urls[env.Value] },
            _ => throw new InvalidOperationException($"Unknown environment value source {env.Source}."),
        };

    private static ContainerAppProbeArgs ToProbe(ProbePlan probe) => new()
    {
        Type = probe.Kind == ProbeKind.Liveness ? App.Type.Liveness : App.Type.Readiness,
        HttpGet = new ContainerAppProbeHttpGetArgs { Path = probe.Path, Port = probe.Port, Scheme = App.Scheme.HTTP },
        PeriodSeconds = probe.PeriodSeconds,
        FailureThreshold = probe.FailureThreshold,
        TimeoutSeconds = probe.TimeoutSeconds,
    };

    private static ScaleRuleArgs ToScaleRule(ScaleRulePlan rule, SharedResources shared) => rule.Kind switch
    {
        ScaleRuleKind.Http => new ScaleRuleArgs
        {
            Name = rule.Name,
            Http = new HttpScaleRuleArgs
            {
                Metadata =
                {
                    ["concurrentRequests"] = (rule.ConcurrentRequests ?? throw new InvalidOperationException("An HTTP rule needs concurrent requests."))
                        .ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
        },
        ScaleRuleKind.AzureQueue => new ScaleRuleArgs
        {
            Name = rule.Name,
            AzureQueue = new QueueScaleRuleArgs
            {
                QueueName = rule.QueueName ?? throw new InvalidOperationException("A queue rule needs a queue."),
                QueueLength = rule.QueueLength ?? throw new InvalidOperationException("A queue rule needs a queue length."),
                AccountName = rule.StorageAccountName ?? throw new InvalidOperationException("A queue rule needs a storage account."),
                Identity = shared.Identity.Id,
            },
        },
        _ => throw new InvalidOperationException($"Unknown scale rule kind {rule.Kind}."),
    };
}

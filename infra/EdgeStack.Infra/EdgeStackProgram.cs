using EdgeStack.Blueprint;
using Pulumi;
using Pulumi.AzureNative.App.Inputs;
using App = Pulumi.AzureNative.App;
using Authorization = Pulumi.AzureNative.Authorization;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using Network = Pulumi.AzureNative.Network;
using OperationalInsights = Pulumi.AzureNative.OperationalInsights;
using Resources = Pulumi.AzureNative.Resources;
using Storage = Pulumi.AzureNative.Storage;

namespace EdgeStack.Infra;

/// <summary>The EdgeStack resource graph: reads the stack config, builds the Blueprint plan and maps it 1:1 onto resources.</summary>
/// <remarks>Every decision lives in <see cref="StackPlanner"/>; this class only translates the plan, so tests can run it through <c>Deployment.TestAsync</c>.</remarks>
public static class EdgeStackProgram
{
    /// <summary>Builds the stack; <c>Program.cs</c> hands this to <c>Deployment.RunAsync</c>.</summary>
    /// <param name="registryTokens">Where the image push credentials come from.</param>
    /// <returns>The stack outputs.</returns>
    public static Task<IDictionary<string, object?>> RunAsync(IRegistryTokenSource registryTokens) =>
        RunAsync(FunctionManifest.FindRepositoryRoot(Environment.CurrentDirectory), registryTokens);

    /// <summary>Builds the stack of the functions discovered in a repository.</summary>
    /// <param name="repositoryRoot">The repository whose <c>functions/*/edgestack.json</c> declare the functions.</param>
    /// <param name="registryTokens">Where the image push credentials come from.</param>
    /// <returns>The stack outputs.</returns>
    public static async Task<IDictionary<string, object?>> RunAsync(string repositoryRoot, IRegistryTokenSource registryTokens)
    {
        ArgumentNullException.ThrowIfNull(registryTokens);
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

        // Secrets never reach the plan: the keys are generated here, and a key set in stack config overrides its generated one.
        var settings = StackSettingsParser.Parse(values, functions);

        var client = await Authorization.GetClientConfig.InvokeAsync();
        var identity = new StackIdentity(client.SubscriptionId, Pulumi.Deployment.Instance.ProjectName, Pulumi.Deployment.Instance.StackName);
        var plan = StackPlanner.Plan(settings, identity);

        return Deploy(plan, config, registryTokens);
    }

    private static Dictionary<string, object?> Deploy(StackPlan plan, Pulumi.Config config, IRegistryTokenSource registryTokens)
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

        var virtualNetwork = new Network.VirtualNetwork(LogicalNames.VirtualNetwork, new Network.VirtualNetworkArgs
        {
            ResourceGroupName = resourceGroup.Name,
            VirtualNetworkName = plan.Network.VirtualNetworkName,
            Location = plan.Location,
            AddressSpace = new Network.Inputs.AddressSpaceArgs { AddressPrefixes = { plan.Network.AddressSpace } },
        });

        // The environment's own subnet: delegated to Container Apps, and with a storage service endpoint so its traffic
        // reaches the storage account as this subnet, which the account's firewall admits.
        var subnet = new Network.Subnet(LogicalNames.EnvironmentSubnet, new Network.SubnetArgs
        {
            ResourceGroupName = resourceGroup.Name,
            VirtualNetworkName = virtualNetwork.Name,
            SubnetName = plan.Network.SubnetName,
            AddressPrefix = plan.Network.SubnetPrefix,
            Delegations = { new Network.Inputs.DelegationArgs { Name = NetworkPlan.SubnetDelegationName, ServiceName = NetworkPlan.SubnetDelegation } },
            ServiceEndpoints = { new Network.Inputs.ServiceEndpointPropertiesFormatArgs { Service = NetworkPlan.StorageServiceEndpoint } },
        });

        var environment = new App.ManagedEnvironment(LogicalNames.Environment, new App.ManagedEnvironmentArgs
        {
            ResourceGroupName = resourceGroup.Name,
            EnvironmentName = plan.Names.Environment,
            Location = plan.Location,
            VnetConfiguration = new VnetConfigurationArgs { InfrastructureSubnetId = subnet.Id, Internal = false },
            WorkloadProfiles = { new WorkloadProfileArgs { Name = NetworkPlan.ConsumptionWorkloadProfile, WorkloadProfileType = NetworkPlan.ConsumptionWorkloadProfile } },
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

            // Apps and their queue scale rules authenticate with their own identities; no key exists to leak.
            AllowSharedKeyAccess = false,
            DefaultToOAuthAuthentication = true,

            // Default-deny: only the environment's subnet (through its service endpoint) and Azure's trusted services reach
            // the data plane. The deployer creates containers, queues and tables through the management plane (ARM), which
            // the firewall does not govern; see docs/deploy.md, "Security".
            NetworkRuleSet = new Storage.Inputs.NetworkRuleSetArgs
            {
                DefaultAction = Storage.DefaultAction.Deny,
                Bypass = Storage.Bypass.AzureServices,
                VirtualNetworkRules = { new Storage.Inputs.VirtualNetworkRuleArgs { VirtualNetworkResourceId = subnet.Id, Action = Storage.Action.Allow } },
            },
        });

        // A deleted or overwritten blob, or a deleted container, can be restored for the retention period.
        _ = new Storage.BlobServiceProperties(LogicalNames.BlobService, new Storage.BlobServicePropertiesArgs
        {
            ResourceGroupName = resourceGroup.Name,
            AccountName = storage.Name,
            BlobServicesName = "default",
            DeleteRetentionPolicy = new Storage.Inputs.DeleteRetentionPolicyArgs { Enabled = true, Days = plan.SoftDeleteRetentionDays },
            ContainerDeleteRetentionPolicy = new Storage.Inputs.DeleteRetentionPolicyArgs { Enabled = true, Days = plan.SoftDeleteRetentionDays },
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

        var keys = FunctionKeys.Deploy(plan.FunctionKeys, config);
        var push = RegistryPush.Credentials(registry, registryTokens);
        var shared = new SharedResources(resourceGroup, environment, registry, push, storage, containers, queues, tables, keys);
        var urls = new Dictionary<string, Output<string>>(StringComparer.Ordinal);
        foreach (var app in plan.Apps)
        {
            var containerApp = DeployApp(plan, app, shared, urls);
            if (app.Ingress != IngressMode.None)
            {
                urls[app.FunctionName] = containerApp.Configuration.Apply(c => "https://" + (c?.Ingress?.Fqdn ?? string.Empty));
            }
        }

        foreach (var job in plan.Jobs)
        {
            JobDeployment.Deploy(plan, job, shared, urls);
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

        foreach (var key in plan.FunctionKeys)
        {
            outputs[key.OutputName] = keys[(key.FunctionName, key.Use)];
        }

        return outputs;
    }

    private static App.ContainerApp DeployApp(
        StackPlan plan,
        AppPlan app,
        SharedResources shared,
        Dictionary<string, Output<string>> urls)
    {
        var workload = WorkloadDeployment.Prepare(plan, app, shared, urls);
        var configuration = new ConfigurationArgs
        {
            ActiveRevisionsMode = App.ActiveRevisionsMode.Single,
            Registries = { workload.Registry() },
            Secrets = workload.Secrets(),
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

        var container = workload.Container();
        container.Probes = app.Probes.Select(ToProbe).ToList();
        return new App.ContainerApp(app.LogicalName, new App.ContainerAppArgs
        {
            ResourceGroupName = shared.ResourceGroup.Name,
            ContainerAppName = app.AppName,
            Location = plan.Location,
            EnvironmentId = shared.Environment.Id,
            WorkloadProfileName = NetworkPlan.ConsumptionWorkloadProfile,
            Identity = workload.Identity(),
            Configuration = configuration,
            Template = new TemplateArgs
            {
                TerminationGracePeriodSeconds = app.TerminationGracePeriodSeconds,
                Containers = { container },
                Scale = new ScaleArgs
                {
                    MinReplicas = app.Scale.MinReplicas,
                    MaxReplicas = app.Scale.MaxReplicas,
                    Rules = app.Scale.Rules.Select(rule => ToScaleRule(rule, workload.Access)).ToList(),
                },
            },
        }, workload.AfterRoles());
    }

    private static ContainerAppProbeArgs ToProbe(ProbePlan probe) => new()
    {
        Type = probe.Kind == ProbeKind.Liveness ? App.Type.Liveness : App.Type.Readiness,
        HttpGet = new ContainerAppProbeHttpGetArgs { Path = probe.Path, Port = probe.Port, Scheme = App.Scheme.HTTP },
        PeriodSeconds = probe.PeriodSeconds,
        FailureThreshold = probe.FailureThreshold,
        TimeoutSeconds = probe.TimeoutSeconds,
    };

    private static ScaleRuleArgs ToScaleRule(ScaleRulePlan rule, FunctionAccess access) => rule.Kind switch
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
                // KEDA reads the queue length as the function itself: its identity holds a role on that queue.
                Identity = access.Identity.Id,
            },
        },
        _ => throw new InvalidOperationException($"Unknown scale rule kind {rule.Kind}."),
    };
}

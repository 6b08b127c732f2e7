namespace EdgeStack.Infra.Tests;

/// <summary>The resource type tokens the stack creates, and the input that carries each one's Azure name.</summary>
internal static class Types
{
    public const string ResourceGroup = "azure-native:resources:ResourceGroup";
    public const string Workspace = "azure-native:operationalinsights:Workspace";
    public const string Environment = "azure-native:app:ManagedEnvironment";
    public const string VirtualNetwork = "azure-native:network:VirtualNetwork";
    public const string Subnet = "azure-native:network:Subnet";
    public const string Registry = "azure-native:containerregistry:Registry";
    public const string Identity = "azure-native:managedidentity:UserAssignedIdentity";
    public const string StorageAccount = "azure-native:storage:StorageAccount";
    public const string BlobContainer = "azure-native:storage:BlobContainer";
    public const string Queue = "azure-native:storage:Queue";
    public const string Table = "azure-native:storage:Table";
    public const string BlobServiceProperties = "azure-native:storage:BlobServiceProperties";
    public const string RoleAssignment = "azure-native:authorization:RoleAssignment";
    public const string ContainerApp = "azure-native:app:ContainerApp";
    public const string Job = "azure-native:app:Job";
    public const string Image = "docker:index/image:Image";
    public const string RandomPassword = "random:index/randomPassword:RandomPassword";

    public static IReadOnlyDictionary<string, string> NameInput { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ResourceGroup] = "resourceGroupName",
        [Workspace] = "workspaceName",
        [Environment] = "environmentName",
        [VirtualNetwork] = "virtualNetworkName",
        [Subnet] = "subnetName",
        [Registry] = "registryName",
        [Identity] = "resourceName",
        [StorageAccount] = "accountName",
        [BlobContainer] = "containerName",
        [Queue] = "queueName",
        [Table] = "tableName",
        [ContainerApp] = "containerAppName",
        [Job] = "jobName",
    };
}

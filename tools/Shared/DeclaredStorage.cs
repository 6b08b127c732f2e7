using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Blueprint;

namespace EdgeStack.Tools;

/// <summary>Creates the storage functions declare, in a local Azurite, as the Pulumi program does in Azure; shared by serve and run.</summary>
internal static class DeclaredStorage
{
    /// <summary>Creates each container, queue and table once, whatever number of functions declare it.</summary>
    /// <param name="connectionString">The storage account's connection string.</param>
    /// <param name="functions">The functions whose <see cref="FunctionDeclaration.AllStorage"/> is created.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public static async Task CreateAsync(string connectionString, IEnumerable<FunctionDeclaration> functions, CancellationToken cancellationToken)
    {
        foreach (var need in functions.SelectMany(f => f.AllStorage).DistinctBy(s => (s.Kind, s.Name)))
        {
            switch (need.Kind)
            {
                case StorageKind.Container:
                    await new BlobContainerClient(connectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    break;
                case StorageKind.Queue:
                    await new QueueClient(connectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    break;
                case StorageKind.Table:
                    await new TableClient(connectionString, need.Name).CreateIfNotExistsAsync(cancellationToken);
                    break;
            }
        }
    }
}

namespace EdgeStack.Azure.Internal;

/// <summary>Marks an endpoint that reads what the function stores: it takes <see cref="FunctionOptions.ReadKey"/>, not the function's key.</summary>
internal sealed class ReadKeyRequiredMetadata
{
    public static ReadKeyRequiredMetadata Instance { get; } = new();
}

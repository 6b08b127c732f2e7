namespace EdgeStack.Blueprint;

/// <summary>Where the value of a container environment variable comes from; the Pulumi program fills the non-literal ones.</summary>
public enum EnvValueSource
{
    /// <summary>The plan holds the value.</summary>
    Literal = 1,

    /// <summary>A Container App secret; the plan holds the secret's name.</summary>
    SecretRef = 2,

    /// <summary>The storage account's primary blob endpoint.</summary>
    BlobEndpoint = 3,

    /// <summary>The storage account's primary queue endpoint.</summary>
    QueueEndpoint = 4,

    /// <summary>The storage account's primary table endpoint.</summary>
    TableEndpoint = 5,

    /// <summary>The client id of the app's own user-assigned identity.</summary>
    IdentityClientId = 6,

    /// <summary>The HTTPS URL of another function's ingress (<c>https://</c> + its ingress FQDN); the plan holds the function's name.</summary>
    FunctionUrl = 7,
}

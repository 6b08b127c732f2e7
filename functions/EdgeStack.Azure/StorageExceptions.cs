using Azure;

namespace EdgeStack.Azure;

/// <summary>Recognises a failed call to Azure Storage in both shapes the SDK throws.</summary>
public static class StorageExceptions
{
    /// <summary>
    /// Whether <paramref name="exception"/> means storage could not be reached or refused the call: a
    /// <see cref="RequestFailedException"/>, or the <see cref="AggregateException"/> of them that Azure.Core
    /// throws when its retries on a connection failure run out.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True for a storage failure.</returns>
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        RequestFailedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };
}

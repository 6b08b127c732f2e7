namespace EdgeStack.Azure;

/// <summary>What <see cref="WorkResultBlob.WriteOnceAsync"/> did.</summary>
public enum WorkResultWrite
{
    /// <summary>The blob now holds this work item's content: it was absent, or another item's result was replaced.</summary>
    Written = 0,

    /// <summary>An earlier run of this same work item wrote the blob: nothing was written again.</summary>
    AlreadyWritten = 1,

    /// <summary>Another work item's result is there and the caller chose to keep it: nothing was written.</summary>
    Kept = 2,
}

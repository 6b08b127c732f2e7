namespace EdgeStack.Blueprint;

/// <summary>The kinds of container probe EdgeStack uses.</summary>
public enum ProbeKind
{
    /// <summary>Restarts the container when it fails; stays healthy through drain.</summary>
    Liveness = 1,

    /// <summary>Takes the replica out of rotation when it fails; fails from the start of shutdown.</summary>
    Readiness = 2,
}

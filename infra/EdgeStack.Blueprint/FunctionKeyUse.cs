namespace EdgeStack.Blueprint;

/// <summary>What a function key lets its holder do.</summary>
public enum FunctionKeyUse
{
    /// <summary>Call the function (<c>Function:Key</c>); an analytics client holds the sink's call key to send events.</summary>
    Call = 1,

    /// <summary>Read what the analytics sink stored (<c>Function:ReadKey</c>, <c>GET /events</c>); only the sink holds it.</summary>
    Read = 2,
}

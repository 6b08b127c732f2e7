namespace EdgeStack.Blueprint;

/// <summary>How a function is started and reached, declared as <c>kind</c> in its <c>edgestack.json</c>.</summary>
public enum FunctionKind
{
    /// <summary><c>http</c>: a Container App with ingress; scales on concurrent requests (and on its own queue when it has durable handlers).</summary>
    Http = 1,

    /// <summary><c>queue</c>: a Container App that consumes its own queue and scales on its length; internal ingress at most.</summary>
    Queue = 2,

    /// <summary><c>scheduled</c>: a Container Apps Job started on a cron schedule; one run is one process.</summary>
    Scheduled = 3,
}

namespace EdgeStack.Runtime;

/// <summary>A unit of durable background work: which handler runs it and with what input.</summary>
/// <param name="Id">A unique id, stable across retries.</param>
/// <param name="Handler">The name of the handler that runs it.</param>
/// <param name="Payload">The handler's input, as text (typically JSON).</param>
/// <param name="DequeueCount">How many times the queue has handed the item out before this run.</param>
public sealed record DurableWorkItem(string Id, string Handler, string Payload, long DequeueCount = 0);

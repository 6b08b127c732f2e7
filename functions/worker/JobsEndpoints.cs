using System.Text.Json;
using EdgeStack.Azure;
using EdgeStack.Runtime;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Worker;

/// <summary>POST /jobs with a report request → 202 once the job is on the worker's own queue; a worker instance runs it.</summary>
internal static class JobsEndpoints
{
    public const string Route = "/jobs";

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, async (HttpRequest request, AzureQueueDurableWorkQueue queue, IOptions<EdgeRuntimeOptions> runtime, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var logger = loggers.CreateLogger(typeof(JobsEndpoints));
            using var body = await JsonRequestBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            ReportWork work;
            try
            {
                work = ReportWork.Parse(body.Text);
            }
            catch (JsonException exception)
            {
                return FunctionProblems.BadRequest("The body must be a report job {\"id\", \"steps\", \"stepMilliseconds\"}: " + exception.Message);
            }

            if (!UploadId.IsValid(work.Id, out var problem))
            {
                return FunctionProblems.BadRequest(problem);
            }

            if (work.Steps is < 0 or > 10_000 || work.StepMilliseconds is < 0 or > 600_000)
            {
                return FunctionProblems.BadRequest("'steps' must be 0–10000 and 'stepMilliseconds' 0–600000.");
            }

            // A job that cannot finish within the task timeout would be cancelled on every try and end in poison.
            var duration = TimeSpan.FromMilliseconds((double)work.Steps * work.StepMilliseconds);
            if (duration >= runtime.Value.TaskTimeout)
            {
                return FunctionProblems.BadRequest(
                    $"'steps' × 'stepMilliseconds' is {duration.TotalSeconds:0.###} s; a job must finish within the task timeout ({runtime.Value.TaskTimeoutSeconds} s, {EdgeStack.Contracts.SettingNames.TaskTimeoutSeconds}).");
            }

            var item = new DurableWorkItem(Guid.NewGuid().ToString("N"), ReportHandler.Name, work.ToJson());
            try
            {
                // Visible at once: whichever worker instance polls first runs it, not necessarily this one.
                await queue.EnqueueAsync(item, TimeSpan.Zero, cancellationToken);
            }
            catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
            {
                Log.JobNotQueued(logger, work.Id, exception);
                return FunctionProblems.ServiceUnavailable("The job could not be queued, so it was not accepted; try again.");
            }

            Log.JobQueued(logger, work.Id, item.Id);
            return FunctionAnswers.Accepted("queued", item.Id);
        });
        return endpoints;
    }
}

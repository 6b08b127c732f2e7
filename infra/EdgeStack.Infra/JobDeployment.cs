using EdgeStack.Blueprint;
using Pulumi;
using Pulumi.AzureNative.App.Inputs;
using App = Pulumi.AzureNative.App;

namespace EdgeStack.Infra;

/// <summary>Maps a scheduled function's <see cref="JobPlan"/> onto a Container Apps Job with a schedule trigger.</summary>
internal static class JobDeployment
{
    public static App.Job Deploy(
        StackPlan plan,
        JobPlan job,
        SharedResources shared,
        Dictionary<string, Output<string>> urls)
    {
        var workload = WorkloadDeployment.Prepare(plan, job, shared, urls);
        return new App.Job(job.LogicalName, new App.JobArgs
        {
            ResourceGroupName = shared.ResourceGroup.Name,
            JobName = job.JobName,
            Location = plan.Location,
            EnvironmentId = shared.Environment.Id,
            WorkloadProfileName = NetworkPlan.ConsumptionWorkloadProfile,
            Identity = workload.Identity(),
            Configuration = new JobConfigurationArgs
            {
                TriggerType = App.TriggerType.Schedule,
                ScheduleTriggerConfig = new JobConfigurationScheduleTriggerConfigArgs
                {
                    CronExpression = job.CronExpression,
                    Parallelism = JobPlan.Parallelism,
                    ReplicaCompletionCount = JobPlan.ReplicaCompletionCount,
                },
                ReplicaTimeout = job.ReplicaTimeoutSeconds,
                ReplicaRetryLimit = job.ReplicaRetryLimit,
                Registries = { workload.Registry() },
                Secrets = workload.Secrets(),
            },
            Template = new JobTemplateArgs { Containers = { workload.Container() } },
        }, workload.AfterRoles());
    }
}

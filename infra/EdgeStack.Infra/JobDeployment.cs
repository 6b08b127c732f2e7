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
        var access = FunctionAccess.Deploy(job.Identity, job.Roles, plan, shared);
        var image = EdgeStackProgram.BuildImage(job.Image, shared);
        return new App.Job(job.LogicalName, new App.JobArgs
        {
            ResourceGroupName = shared.ResourceGroup.Name,
            JobName = job.JobName,
            Location = plan.Location,
            EnvironmentId = shared.Environment.Id,
            WorkloadProfileName = NetworkPlan.ConsumptionWorkloadProfile,
            Identity = new ManagedServiceIdentityArgs
            {
                Type = App.ManagedServiceIdentityType.UserAssigned,
                UserAssignedIdentities = { access.Identity.Id },
            },
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
                Registries = { new RegistryCredentialsArgs { Server = shared.Registry.LoginServer, Identity = access.Identity.Id } },
                Secrets = job.Secrets.Select(secret => new SecretArgs { Name = secret.Name, Value = shared.FunctionKeys[(secret.FunctionName, secret.Use)] }).ToList(),
            },
            Template = new JobTemplateArgs
            {
                Containers =
                {
                    new ContainerArgs
                    {
                        Name = job.FunctionName,
                        Image = image.RepoDigest,
                        Env = job.Env.Select(env => EdgeStackProgram.ToEnvironmentVar(env, shared, access, urls)).ToList(),
                        Resources = new ContainerResourcesArgs { Cpu = job.Cpu, Memory = job.Memory },
                    },
                },
            },
        }, new CustomResourceOptions
        {
            // The first run must already be able to pull its image and reach storage.
            DependsOn = access.Roles.ToArray<Resource>(),
        });
    }
}

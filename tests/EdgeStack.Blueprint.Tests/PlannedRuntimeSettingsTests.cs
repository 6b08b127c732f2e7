using System.Globalization;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Blueprint.Tests;

/// <summary>The environment the plan gives each app and job is one the runtime starts with: its own binding and validation decide.</summary>
public class PlannedRuntimeSettingsTests
{
    private static IReadOnlyList<FunctionDeclaration> Functions =>
    [
        .. TestStacks.Functions,
        .. FunctionManifest.Parse([("nightly", """{"kind":"scheduled","schedule":"0 3 * * *"}""")], _ => true),
    ];

    [Fact]
    public void Plan_EveryGracePeriodTheStackAccepts_GivesEveryAppAndJobAnEnvTheRuntimeStartsWith()
    {
        var failures = new List<string>();
        var checkedEnvs = 0;

        for (var grace = StackSettingsParser.MinTerminationGracePeriodSeconds; grace <= StackSettingsParser.MaxTerminationGracePeriodSeconds; grace++)
        {
            var plan = PlanWithGrace(grace);
            foreach (var (name, env) in plan.Apps.Select(a => (a.FunctionName, a.Env)).Concat(plan.Jobs.Select(j => (j.FunctionName, j.Env))))
            {
                checkedEnvs++;
                if (StartupFailure(env) is { } failure)
                {
                    failures.Add($"{name} at grace {grace}: {failure}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal((StackSettingsParser.MaxTerminationGracePeriodSeconds - StackSettingsParser.MinTerminationGracePeriodSeconds + 1) * Functions.Count, checkedEnvs);
    }

    [Fact]
    public void StartupFailure_EnvWithAGraceTheRuntimeRefuses_IsReported()
    {
        var env = PlanWithGrace(30).App(TestStacks.Hello).Env
            .Select(e => e.Name == Variable(SettingNames.TerminationGracePeriodSeconds) ? e with { Value = "2" } : e)
            .ToList();

        Assert.Contains(SettingNames.TerminationGracePeriodSeconds, StartupFailure(env), StringComparison.Ordinal);
    }

    private static StackPlan PlanWithGrace(int grace)
    {
        // A job gets the platform's grace period, so the stack accepts no more for it.
        var functions = "{" + string.Join(",", Functions.Select(f =>
        {
            var seconds = (f.Kind == FunctionKind.Scheduled ? Math.Min(grace, JobPlan.PlatformGracePeriodSeconds) : grace).ToString(CultureInfo.InvariantCulture);
            return $"\"{f.Name}\":{{\"terminationGracePeriodSeconds\":{seconds}}}";
        })) + "}";
        return StackPlanner.Plan(StackSettingsParser.Parse(TestStacks.WithFunctions(functions), Functions), TestStacks.Identity);
    }

    /// <summary>Binds the env as the container's environment and runs the runtime's start-time validation, as a host start does.</summary>
    /// <returns>Null when the app would start, or the validation message.</returns>
    private static string? StartupFailure(IReadOnlyList<EnvVarPlan> env)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // What the environment variables provider does with a name: "__" separates sections.
        builder.Configuration.AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), (string?)Value(e))));
        builder.AddEdgeRuntime();

        try
        {
            using var host = builder.Build();
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>A literal as planned; the values the Pulumi program fills in get a value of the same shape.</summary>
    private static string Value(EnvVarPlan env) => env.Source switch
    {
        EnvValueSource.Literal => env.Value,
        EnvValueSource.SecretRef => new string('k', FunctionKeyPlan.MinLength),
        EnvValueSource.IdentityClientId => "00000000-0000-0000-0000-000000000001",
        EnvValueSource.FunctionUrl => $"https://{env.Value}.internal.example.westeurope.azurecontainerapps.io",
        _ => $"https://account.{env.Source.ToString().Replace("Endpoint", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}.core.windows.net/",
    };

    private static string Variable(string setting) => SettingNames.ToEnvironmentVariable(setting);
}

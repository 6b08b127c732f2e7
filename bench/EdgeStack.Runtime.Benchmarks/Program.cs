using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using EdgeStack.Runtime.Benchmarks;

// A short job: enough iterations for a stable median on two cores in a couple of minutes.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1))
    .AddExporter(JsonExporter.Full)
    .WithOptions(ConfigOptions.DisableLogFile);
BenchmarkSwitcher.FromAssembly(typeof(WaitUntilBenchmarks).Assembly).Run(args, config);

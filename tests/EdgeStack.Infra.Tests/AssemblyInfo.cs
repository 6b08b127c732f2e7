// Pulumi's Deployment is process-global (and so is PULUMI_CONFIG): stacks under test must run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

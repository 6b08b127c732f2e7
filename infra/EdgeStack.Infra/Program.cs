return await Pulumi.Deployment.RunAsync(EdgeStack.Infra.EdgeStackProgram.RunAsync);

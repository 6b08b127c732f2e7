using EdgeStack.Infra;

using var http = new HttpClient();
var registryTokens = new AcrTokenExchange(http, AcrTokenExchange.DefaultTimeout);
return await Pulumi.Deployment.RunAsync(() => EdgeStackProgram.RunAsync(registryTokens));

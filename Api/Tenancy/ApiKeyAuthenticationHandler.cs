using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Tenancy;

/// <summary>Authenticates a caller by its X-Api-Key header as one tenant.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TenantKeyCache keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TenantClaim = "tenant";
    public const string RateClaim = "rate_limit_per_second";
    public const string BurstClaim = "rate_limit_burst";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }
        var tenant = await keys.FindTenantAsync(values[0]!, Context.RequestAborted);
        if (tenant is null)
        {
            return AuthenticateResult.Fail("The API key is not known or has been revoked.");
        }
        var claims = new List<Claim> { new(TenantClaim, tenant.TenantId) };
        if (tenant.RateLimitPerSecond is { } rate)
        {
            claims.Add(new Claim(RateClaim, rate.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (tenant.RateLimitBurst is { } burst)
        {
            claims.Add(new Claim(BurstClaim, burst.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = $"Send a valid API key in the {HeaderName} header.",
            },
        });
    }
}

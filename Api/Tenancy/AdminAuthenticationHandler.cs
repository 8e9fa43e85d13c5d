using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Tenancy;

/// <summary>
/// Admin credentials: HTTP Basic with user "admin" and password ORCH_ADMIN_KEY (what a
/// browser asks for on the dashboard), or the key in an X-Admin-Key header. With no
/// ORCH_ADMIN_KEY set, nothing authenticates as admin: management stays closed.
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IConfiguration configuration,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Admin";
    public const string PolicyName = "Admin";
    public const string HeaderName = "X-Admin-Key";
    public const string UserName = "admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = configuration["ORCH_ADMIN_KEY"];
        var presented = PresentedKey();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (string.IsNullOrEmpty(expected) || !FixedTimeEquals(presented, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong admin credentials."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Orchestrator admin\", charset=\"UTF-8\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = $"Admin credentials are required: HTTP Basic as '{UserName}' with ORCH_ADMIN_KEY, or the {HeaderName} header.",
            },
        });
    }

    private string? PresentedKey()
    {
        if (Request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }
        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon > 0 && decoded[..colon] == UserName ? decoded[(colon + 1)..] : "";
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

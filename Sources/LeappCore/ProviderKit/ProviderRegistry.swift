public enum Providers {
    public static func make(_ provider: Provider) -> IdentityProvider {
        switch provider {
        case .keycloak: return Keycloak()
        case .generic: return GenericForm()
        case .adfs: return ADFS()
        case .shibboleth: return Shibboleth()
        case .pingFederate: return PingFederate()
        case .jumpCloud: return JumpCloud()
        case .okta: return Okta()
        case .onelogin: return OneLogin()
        case .azureAD: return AzureAD()
        case .google: return Google()
        case .auth0: return Auth0()
        }
    }
}

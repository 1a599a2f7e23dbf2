// The demo stays on its page after a login: the element's default is to go to redirect_to.
document.addEventListener('otp-login-qr-accepted', (event) => {
  event.preventDefault();
});
